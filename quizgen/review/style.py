"""The review page's stylesheet: inline, no web fonts, readable from a phone (390 px) to a laptop, AA contrast."""

CSS = """
:root { --ink: #1b1b1b; --muted: #4a4a4a; --line: #c9c9c9; --bg-soft: #f4f5f7; --key: #0b5a24; --key-bg: #e3f3e8;
        --flag: #8a1c1c; --flag-bg: #fdf0f0; --link: #0645ad; --note-bg: #fff8e1; --note: #5c4400; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
       "Helvetica Neue", Arial, sans-serif; }
a { color: var(--link); }
a:focus-visible, summary:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em;
       background: var(--bg-soft); padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
header, main, footer, nav { max-width: 62rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.12rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: 1rem; margin: 0 0 .4rem; }
p { margin: .4rem 0; }
.meta, .where, footer { color: var(--muted); }
.teacher-only { background: var(--note-bg); color: var(--note); padding: .5rem .75rem; border-radius: 4px; }
nav ol { padding-left: 1.2rem; }
.record-index { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; padding: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--bg-soft); }
tbody th { font-weight: 600; }
table.compact { width: auto; min-width: 18rem; }
.warn { background: var(--flag-bg); color: var(--flag); font-weight: 600; padding: 0 .2em; border-radius: 3px; }
dl.flag-lists dt { font-weight: 600; margin-top: .5rem; }
dl.flag-lists dd { margin: .1rem 0 .3rem 0; }
ul.left-out > li { margin: .35rem 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pair { white-space: normal; }
.nw { white-space: nowrap; }
caption { text-align: left; color: var(--muted); padding: .2rem 0; }
.table-wrap { overflow-x: auto; }
.id-list { display: flex; flex-wrap: wrap; gap: .15rem .6rem; list-style: none; padding: 0; margin: 0; }
.record { border-top: 1px solid var(--line); padding-top: .4rem; }
.record > h3 { margin-top: .8rem; overflow-wrap: anywhere; }
.question { border: 1px solid var(--line); border-left: 5px solid #6b7785; border-radius: 6px; padding: .75rem .9rem;
            margin: .8rem 0; background: #fff; }
.question.flagged { border-left-color: var(--flag); }
.question h4 { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; }
.qid { font-family: ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: .05rem .45rem; border-radius: 999px;
         background: var(--bg-soft); color: var(--ink); border: 1px solid var(--line); }
.badge.in-quiz { background: #e8f0fe; border-color: #9bb8f0; color: #0b3d91; }
.badge.flag-count { background: var(--flag-bg); border-color: #e0a5a5; color: var(--flag); }
.stem { font-size: 1.05rem; margin: .3rem 0 .5rem; }
.blank { display: inline-block; min-width: 4em; border-bottom: 2px solid var(--ink); color: transparent; }
ol.options, ol.items { list-style: none; padding: 0; margin: .3rem 0 .6rem; }
ol.options li, ol.items li { padding: .2rem .5rem .2rem 2.3em; text-indent: -1.8em; margin: .15rem 0; border-radius: 4px; }
.letter { display: inline-block; min-width: 1.8em; font-weight: 600; text-indent: 0; }
li.key { background: var(--key-bg); color: var(--key); font-weight: 600; }
.key-mark { font-size: .8rem; margin-left: .4rem; white-space: nowrap; }
.share { color: var(--muted); font-weight: 400; font-size: .85rem; margin-left: .4rem; white-space: nowrap; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem 1.5rem; }
.columns h5 { margin: .2rem 0; font-size: .9rem; color: var(--muted); }
.answer { background: var(--key-bg); color: var(--key); padding: .35rem .6rem; border-radius: 4px; margin: .4rem 0; }
.answer ol { margin: .2rem 0; }
blockquote { margin: .4rem 0; padding: .3rem .8rem; border-left: 4px solid var(--line); color: var(--muted);
             background: var(--bg-soft); }
ul.flags { list-style: none; padding: 0; margin: .5rem 0 0; }
ul.flags li { background: var(--flag-bg); border-left: 4px solid var(--flag); padding: .35rem .6rem; margin: .3rem 0;
              border-radius: 0 4px 4px 0; }
ul.flags strong { color: var(--flag); }
.fix { display: block; margin-top: .15rem; }
.stats { margin-top: .5rem; padding: .35rem .6rem; background: var(--note-bg); color: var(--note); border-radius: 4px; }
.skipped, .warnings { margin: .3rem 0; padding-left: 1.2rem; color: var(--muted); }
.skipped li, .warnings li { margin: .1rem 0; }
footer { padding-top: 2rem; padding-bottom: 2rem; font-size: .9rem; }
@media (max-width: 40rem) {
  body { font-size: 15.5px; }
  h1 { font-size: 1.35rem; }
  .columns { grid-template-columns: 1fr; }
  .question { padding: .6rem .6rem; }
  th, td { padding: .25rem .35rem; }
  .wide-only { display: none; }
  table { font-size: .9rem; }
  td a { overflow-wrap: anywhere; }
}
@media print { .question { break-inside: avoid; } a { color: inherit; } }
"""
