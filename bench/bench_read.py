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
Each figure is printed as wall-clock and as CPU seconds (this process and its threads, or the
child's): with several jobs sharing the cores, the CPU seconds and their ratios vary far less.
"""

import argparse
import datetime as dt
import gc
import resource
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


def timed(fn, *args) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process, all its threads) of one call."""
    gc.collect()  # what earlier rounds left is not charged to this one
    started, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - started, time.process_time() - cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def child(code: str, args: list[str]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds and peak resident memory (bytes) of a whole Python process."""
    started, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", f"{PEAK}\n{code}", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed, used = time.perf_counter() - started, children_cpu() - cpu
    if done.returncode not in (0, 1):  # validate: 1 is "errors found", still a whole run
        raise SystemExit(f"{code[:40]} exited with {done.returncode}: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0])
    return elapsed, used, peak_kb * 1024


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
    times: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": [], "sheets": []}
    for _ in range(args.repeat):
        times["raw"].append(timed(raw_read, path))
        times["ours"].append(timed(ours, path))
        times["sheets"].append(timed(ours, with_sheets))
    # Best of the rounds, wall-clock and CPU: on a busy machine the CPU seconds vary far less.
    wall = {k: min(w for w, _ in v) for k, v in times.items()}
    cpu = {k: min(c for _, c in v) for k, v in times.items()}
    tracemalloc.start()
    ours(path)
    peak_python = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print("                                 wall     CPU")
    print(f"raw python-calamine read   {wall['raw']:8.2f} s {cpu['raw']:6.2f} s")
    print(f"read + validate (ours)     {wall['ours']:8.2f} s {cpu['ours']:6.2f} s")
    print(
        f"ratio ours / raw           {wall['ours'] / wall['raw']:8.2f}   {cpu['ours'] / cpu['raw']:6.2f}"
        "    (aim: at most 1.3)"
    )
    print(
        f"with {args.partners:,} agreements and {args.partners:,} reports "
        f"{wall['sheets']:6.2f} s {cpu['sheets']:6.2f} s"
    )
    print(
        f"increase for the follow-up sheets {100 * (wall['sheets'] / wall['ours'] - 1):+5.1f} %"
        f"  {100 * (cpu['sheets'] / cpu['ours'] - 1):+5.1f} %  (aim: at most +10 %)"
    )
    print(f"peak Python allocations of ours  {peak_python / 2**20:6.0f} MB")

    whole: dict[str, list[tuple[float, float, int]]] = {"validate": [], "bare": []}
    for _ in range(args.repeat):
        whole["bare"].append(child(BARE, [str(path)]))
        whole["validate"].append(child(VALIDATE, ["validate", str(path), "--region", "RBN"]))
    best = {
        k: (min(r[0] for r in v), min(r[1] for r in v), max(r[2] for r in v))
        for k, v in whole.items()
    }
    for label, key in (
        ("bare pandas+calamine script", "bare"),
        ("python -m analytics validate", "validate"),
    ):
        w, c, peak = best[key]
        print(f"whole process: {label:28s} {w:6.2f} s, CPU {c:6.2f} s, peak {peak / 2**20:5.0f} MB")
    (bw, bc, _), (vw, vc, _) = best["bare"], best["validate"]
    print(
        f"ratio validate / bare script   {vw / bw:6.2f}   CPU {vc / bc:6.2f}  (aim: at most 1.15)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
