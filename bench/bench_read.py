"""Reading and validating a large register against the raw read it is built on.

    python bench/bench_read.py [--contributions 100000] [--partners 5000] [--repeat 3]

Generates (once, cached under var/bench/) a register workbook of the given size with the sample
generator and the template writer, then prints the best of `--repeat` runs of:
  raw      python-calamine reading both sheets into Python rows (the floor for any reader)
  ours     analytics.register.reading.load_workbook: safety checks, header search, typed parsing,
           Pandera lazy validation and cross-sheet checks (what the CLI and the upload page run)
and their ratio, measured in the same run (the machines are shared: ratios travel, seconds don't).
Then the same register with as many agreements and reports as partners (the optional follow-up
sheets): the increase of `ours` they cost (issue #10: at most 10 %).
"""

import argparse
import datetime as dt
import sys
import time
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


def best(fn, path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = workbook(args.contributions, args.partners)
    print(
        f"workbook: {args.partners:,} partners, {args.contributions:,} contributions, {path.stat().st_size / 2**20:.1f} MB"
    )
    raw = best(raw_read, path, args.repeat)
    mine = best(ours, path, args.repeat)
    print(f"raw python-calamine read   {raw:6.2f} s")
    print(f"read + validate (ours)     {mine:6.2f} s")
    print(f"ratio ours / raw           {mine / raw:6.2f}  (aim: at most 2)")
    with_sheets = workbook(args.contributions, args.partners, with_follow_up=True)
    mine_plus = best(ours, with_sheets, args.repeat)
    print(f"with {args.partners:,} agreements and {args.partners:,} reports {mine_plus:6.2f} s")
    print(
        f"increase for the follow-up sheets {100 * (mine_plus / mine - 1):+5.1f} %  (aim: at most +10 %)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
