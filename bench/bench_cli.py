"""Each command of `python -m analytics`, whole process, beside Python's own start plus its work.

    python bench/bench_cli.py [--repeat 3]

The floor of a command is what it cannot avoid: starting Python and importing the libraries its
work needs (`python -c "import pandas, …"`, the list below), then doing that work, timed as the
second run of the same command inside one warm process (nothing cached by us between runs: each
run reads its files and store again). What the whole process costs beyond the floor is our own
import time and set-up, the part issue #16 asks to keep small (goal: within 1.5x the floor). The commands run on the sample data in a
scratch folder, with an empty store (the samples are read as the app would show them).
Prints figures; asserts nothing. Medians of --repeat runs.
"""

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL = 1.5


# The libraries each command's work cannot do without (reading, validating, the store, writing).
READ = "pandas, pandera.pandas, python_calamine, babel.numbers"
STORE = READ + ", sqlalchemy, alembic"


def commands(tmp: Path) -> dict[str, tuple[list[str], str]]:
    sample = str(ROOT / "data" / "sample" / "RBD.xlsx")
    return {
        "validate": (["validate", sample], READ),
        "validate --format json": (["validate", sample, "--format", "json"], READ),
        "template": (
            ["template", str(tmp / "template.xlsx")],
            "openpyxl, pandera.pandas, babel.numbers",  # the columns are declared as Pandera models
        ),
        "indicators": (["indicators"], STORE),
        "export pptx": (["export", str(tmp / "deck.pptx")], STORE + ", pptx"),
        "export pdf": (["export", str(tmp / "deck.pdf")], STORE + ", reportlab.pdfgen.canvas"),
        "users list": (["users", "list"], "tomllib, babel.numbers"),  # messages: plural forms
    }


def whole_process(argv: list[str], env: dict, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *argv], env=env, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def in_process(argv: list[str], repeat: int) -> float:
    from analytics.cli import main

    def once() -> float:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(argv)
        return time.perf_counter() - t0

    once()  # the first run imports what the command needs: that belongs to the process figure
    return statistics.median(once() for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'empty.db'}",
            "PARTNERSHIPS_USERS_FILE": str(tmp / "users.toml"),
        }
        os.environ.update(env)  # the in-process runs use the same store and users file
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"python start (python -c pass)  {whole_process(['-c', 'pass'], env, args.repeat):.2f} s"
        )
        print(f"{'command':<24} {'process':>8} {'libs':>6} {'work':>6} {'floor':>6} {'ratio':>6}")
        for name, (argv, libs) in commands(tmp).items():
            process = whole_process(["-m", "analytics", *argv], env, args.repeat)
            start = whole_process(["-c", f"import {libs}"], env, args.repeat)
            work = in_process(argv, args.repeat)
            floor = start + work
            ratio = process / floor
            verdict = "ok" if ratio <= GOAL else "OVER"
            print(
                f"{name:<24} {process:7.2f}s {start:5.2f}s {work:5.2f}s {floor:5.2f}s {ratio:5.2f}x"
                f"  (goal {GOAL}x: {verdict})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
