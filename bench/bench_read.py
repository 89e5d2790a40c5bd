"""Reading and validating a large register against the raw read it is built on.

    python bench/bench_read.py [--contributions 100000] [--partners 5000] [--repeat 3]

Generates (once, cached under var/bench/) a register workbook of the given size with the sample
generator and the template writer, and the same register with as many agreements and reports as
partners (the optional follow-up sheets). Then, in rounds that take turns (the machines are
shared: ratios from one run travel, seconds don't; each figure is the best of `--repeat`):
  raw      python-calamine reading both register sheets into Python rows (the floor of any reader)
  ours     analytics.register.reading.load_workbook: safety checks, header search, typed parsing,
           Pandera lazy validation and cross-sheet checks (what the CLI and the upload page run)
  +sheets  ours on the register with the follow-up sheets (issue #10: at most +10 %)
and, whole process (issue #16), `python -m analytics validate` against a bare script reading the
two register sheets with pandas.read_excel(engine="calamine"), with the peak memory (maxrss) of
each child process, and the peak of Python allocations during the in-process `ours`.
"""

import argparse
import datetime as dt
import gc
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402

from analytics.register.reading import load_workbook  # noqa: E402
from analytics.register.template import write_workbook  # noqa: E402
from analytics.sample.generate import frame_of, generate_register  # noqa: E402
from schemas.workbook import Agreements, Reports  # noqa: E402


def follow_up(partners) -> tuple:
    """One agreement per partner and one report per agreement (valid rows)."""
    agreements, reports = [], []
    for i, pid in enumerate(partners["partner_id"]):
        start = dt.date(2022 + i % 4, 1 + i % 12, 1)
        aid = f"A{i + 1:06d}"
        agreements.append(
            {
                "agreement_id": aid,
                "partner_id": pid,
                "title": f"Agreement {aid}",
                "status": "signed",
                "signed_on": start - dt.timedelta(days=10),
                "signed_by": "Regional director",
                "officer": "Partnership officer",
                "start_date": start,
                "end_date": start + dt.timedelta(days=729),
                "amount": float(10_000 + i),
                "currency": "USD",
            }
        )
        due = start + dt.timedelta(days=395)
        reports.append(
            {
                "report_id": f"R{i + 1:06d}",
                "agreement_id": aid,
                "kind": "activity",
                "due_date": due,
                "submitted_on": due - dt.timedelta(days=3),
                "approved_on": due + dt.timedelta(days=7),
                "sent_on": due + dt.timedelta(days=9),
            }
        )
    return frame_of(Agreements, agreements), frame_of(Reports, reports)


def workbook(n_contributions: int, n_partners: int, with_follow_up: bool = False) -> Path:
    suffix = "-agreements" if with_follow_up else ""
    path = ROOT / "var" / "bench" / f"register-{n_partners}p-{n_contributions}c{suffix}.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partners, contributions = generate_register("RBN", 7, n_partners, n_contributions)
        agreements, reports = follow_up(partners) if with_follow_up else (None, None)
        write_workbook(path, partners, contributions, agreements=agreements, reports=reports)
        print(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s")
    return path


def raw_read(path: Path) -> int:
    book = CalamineWorkbook.from_path(str(path))
    return sum(
        len(book.get_sheet_by_name(name).to_python()) for name in ("Partners", "Contributions")
    )


def ours(path: Path) -> int:
    result = load_workbook(path, region="RBN")
    assert not result.report.errors, result.report.errors[:3]
    return len(result.register.contributions)


def timed(fn, *args) -> float:
    gc.collect()  # what earlier rounds left is not charged to this one
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


# Each child prints its own peak resident memory at exit (VmHWM: the peak of this program since
# its exec, where ru_maxrss would count the benchmark's own memory copied at fork).
PEAK = (
    "import atexit, sys; atexit.register(lambda: sys.stderr.write("
    "next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))))"
)
BARE = (
    "import sys, pandas as pd; "
    "pd.read_excel(sys.argv[1], sheet_name=['Partners', 'Contributions'], engine='calamine')"
)
VALIDATE = "import runpy; runpy.run_module('analytics', run_name='__main__', alter_sys=True)"


def child(code: str, args: list[str]) -> tuple[float, int]:
    """Seconds and peak resident memory (bytes) of a whole Python process running `code`."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", f"{PEAK}\n{code}", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # validate: 1 is "errors found", still a whole run
        raise SystemExit(f"{code[:40]} exited with {done.returncode}: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0])
    return elapsed, peak_kb * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = workbook(args.contributions, args.partners)
    with_sheets = workbook(args.contributions, args.partners, with_follow_up=True)
    print(
        f"workbook: {args.partners:,} partners, {args.contributions:,} contributions, {path.stat().st_size / 2**20:.1f} MB"
    )
    ours(path)  # first use: reference data, code lists and imports loaded once, as in the app
    times: dict[str, list[float]] = {"raw": [], "ours": [], "sheets": []}
    for _ in range(args.repeat):
        times["raw"].append(timed(raw_read, path))
        times["ours"].append(timed(ours, path))
        times["sheets"].append(timed(ours, with_sheets))
    raw, mine, mine_plus = (min(times[k]) for k in ("raw", "ours", "sheets"))
    tracemalloc.start()
    ours(path)
    peak_python = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"raw python-calamine read   {raw:6.2f} s")
    print(f"read + validate (ours)     {mine:6.2f} s")
    print(f"ratio ours / raw           {mine / raw:6.2f}  (aim: at most 1.3)")
    print(f"with {args.partners:,} agreements and {args.partners:,} reports {mine_plus:6.2f} s")
    print(
        f"increase for the follow-up sheets {100 * (mine_plus / mine - 1):+5.1f} %  (aim: at most +10 %)"
    )
    print(f"peak Python allocations of ours  {peak_python / 2**20:6.0f} MB")

    whole: dict[str, list[tuple[float, int]]] = {"validate": [], "bare": []}
    for _ in range(args.repeat):
        whole["bare"].append(child(BARE, [str(path)]))
        whole["validate"].append(child(VALIDATE, ["validate", str(path), "--region", "RBN"]))
    (bare_s, bare_rss), (val_s, val_rss) = (
        (min(t for t, _ in whole[k]), max(m for _, m in whole[k])) for k in ("bare", "validate")
    )
    print(
        f"whole process: bare pandas+calamine script {bare_s:6.2f} s, peak {bare_rss / 2**20:5.0f} MB"
    )
    print(
        f"whole process: python -m analytics validate {val_s:6.2f} s, peak {val_rss / 2**20:5.0f} MB"
    )
    print(f"ratio validate / bare script   {val_s / bare_s:6.2f}  (aim: at most 1.15)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
