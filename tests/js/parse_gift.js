// Parse a GIFT file with gift-pegjs and print the questions as JSON (a syntax error: its place, exit 1).
"use strict";
const fs = require("fs");
// the package's "main" file is not in its published files; the CommonJS build is lib/gift-parser.js
const { parse } = require("gift-pegjs/lib/gift-parser.js");

try {
  process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));
} catch (err) {
  const where = err.location ? `${err.location.start.line}:${err.location.start.column}: ` : "";
  process.stderr.write(`${process.argv[2]}:${where}${err.message}\n`);
  process.exit(1);
}
