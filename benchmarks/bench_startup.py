"""Start-up time of `quizgen --help` (the CLI imports no pandas, genanki or nbformat)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_time  # noqa: E402


def main() -> None:
    exe = shutil.which("quizgen")
    cmd = [exe, "--help"] if exe else [sys.executable, "-m", "quizgen", "--help"]
    run = lambda: subprocess.run(cmd, capture_output=True, check=True)  # noqa: E731
    run()
    t_help = median_time(run, 7)
    t_python = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 7)
    print("start-up (median of 7)")
    print(f"  {' '.join(Path(c).name for c in cmd)}: {t_help * 1000:6.0f} ms   (bare python: {t_python * 1000:.0f} ms; "
          f"{t_help / t_python:.1f}x)")
    print("  (end-to-end build times: benchmarks/bench_build.py)")


if __name__ == "__main__":
    main()
