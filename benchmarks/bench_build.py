"""End-to-end `quizgen build` times: full and no-op builds, and --check, against bare Python start-up in the same run.

Each command runs several times in a copy of the project (the shipped sources, the committed outputs and the
course secret); the figures are the best and median wall times and the best CPU time of the child process (on a
busy machine the best wall time and the CPU time are the fair ones; the load average is printed). The target (issue 12): a no-op build in at most 1 s, both where
only quizgen's own dependencies are installed and where Jupyter and the test extras are.

    python benchmarks/bench_build.py                              # this interpreter (the repository on PYTHONPATH)
    python benchmarks/bench_build.py --min-venv /tmp/venv-min     # also a venv without the test extras
                                                                  # (created, or refreshed with this checkout)
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("source_texts", "decks", "notebooks", "exports", "course-secret.txt", "quizgen.toml")


def copy_project(dest: Path) -> Path:
    for name in PROJECT_PARTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copy(src, dest / name)
    return dest


def run_time(cmd: list[str], cwd: Path, env: dict, before=None) -> tuple[float, float]:
    """(wall time, CPU time of the child) of one run."""
    if before is not None:
        before()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr.decode()[-2000:]}")
    return elapsed, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)


def best_of(n: int, fn) -> tuple[float, float, float]:
    """(best wall, median wall, best CPU) of n runs: the best is the least disturbed by other work on the machine."""
    runs = [fn() for _ in range(n)]
    walls = [w for w, _ in runs]
    return min(walls), statistics.median(walls), min(c for _, c in runs)


def measure(python: str, env: dict, label: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        project = copy_project(Path(tmp))
        quizgen = [python, "-m", "quizgen"]

        def clear_outputs() -> None:
            for name in ("decks", "notebooks", "exports"):
                shutil.rmtree(project / name, ignore_errors=True)

        bare = best_of(repeat, lambda: run_time([python, "-c", "pass"], project, env))
        full = best_of(repeat, lambda: run_time(quizgen + ["build"], project, env, before=clear_outputs))
        noop = best_of(repeat, lambda: run_time(quizgen + ["build"], project, env))
        check = best_of(repeat, lambda: run_time(quizgen + ["build", "--check"], project, env))
        csv_check = best_of(repeat, lambda: run_time(quizgen + ["build", "--only", "csv", "--check"], project, env))
    load = os.getloadavg()[0]
    print(f"{label}\n  {python}; {repeat} runs each; load average {load:.1f} on {os.cpu_count()} cores")
    print(f"  {'':28s} {'best':>7s} {'median':>7s} {'CPU':>7s}")
    for name, (best, median, cpu) in (("bare python -c pass", bare), ("full build (no outputs yet)", full), ("no-op build", noop),
                                      ("build --check", check), ("build --only csv --check", csv_check)):
        ratio = "" if name.startswith("bare") else f"   {best / bare[0]:5.1f}x bare start-up; {'within' if best <= 1 else 'OVER'} 1 s"
        print(f"  {name:28s} {best * 1000:5.0f}ms {median * 1000:5.0f}ms {cpu * 1000:5.0f}ms{ratio}")


def prepare_min_venv(path: Path) -> str:
    """A venv with quizgen and its runtime dependencies only (no test extras), holding this checkout's code."""
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(ROOT)], check=True)
    else:  # this checkout's code, and any dependency it gained since the venv was made
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(ROOT)], check=True)
    return str(python)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-venv", type=Path, help="also measure in this venv without the test extras (created if missing)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT), CI="1")
    have_extras = all(_importable(m) for m in ("nbformat", "nbclient", "anki"))
    measure(sys.executable, env, "this environment" + (" (with the test extras: nbformat, nbclient, anki)" if have_extras else ""),
            args.repeat)
    if args.min_venv:
        python = prepare_min_venv(args.min_venv)
        clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        clean_env["CI"] = "1"
        measure(python, clean_env, "venv without the test extras", args.repeat)


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    main()
