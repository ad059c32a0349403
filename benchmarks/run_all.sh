#!/usr/bin/env bash
# Print every benchmark figure (about two minutes on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench_startup bench_build bench_bank bench_anki bench_grade bench_notebook bench_csv bench_export bench_export_games bench_analysis bench_review; do
  python benchmarks/$b.py
done
