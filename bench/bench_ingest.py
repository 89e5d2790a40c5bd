"""Time to ingest a 100,000-contribution workbook (read, validate, diff, commit), next to the raw read.

    python bench/bench_ingest.py [--contributions 100000] [--partners 3000] [--db URL]

The store already holds the six sample regions. Two uploads of region RBD are timed: the big
register replacing the 700-row sample, then the same register a quarter later (1 % of the
amounts changed, 100 contributions removed, 100 added) compared with the big one and committed.
Prints figures; asserts nothing.
"""

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from analytics.access.roles import ADMIN, User  # noqa: E402
from analytics.reference.load import load_reference  # noqa: E402
from analytics.register.template import write_workbook  # noqa: E402
from analytics.sample.generate import generate_register  # noqa: E402
from analytics.services import ingest  # noqa: E402
from analytics.store.versions import open_store  # noqa: E402

REGION = "RBD"
BENCH = User("bench", ADMIN)  # the acting user of the timed ingest


def raw_read(data: bytes) -> float:
    """Seconds python-calamine takes to read every cell of the two register sheets."""
    start = time.perf_counter()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names[:2]:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return time.perf_counter() - start


def workbook_bytes(partners, contributions) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, partners, contributions, lang="en", title_lines=["BENCHMARK DATA"])
    return buffer.getvalue()


def quarter_later(partners, contributions):
    """The same register with 1 % of the amounts changed, 100 rows removed and 100 added."""
    c = contributions.copy()
    c.loc[c.index[::100], "amount"] = c.loc[c.index[::100], "amount"] * 1.1
    added = c.tail(100).copy()
    added["contribution_id"] = [f"NEW-{i:05d}" for i in range(100)]
    c = c.iloc[100:]
    return partners, pd.concat([c, added], ignore_index=True)


def ingest_once(store, data: bytes, name: str) -> dict[str, float]:
    start = time.perf_counter()
    prepared = ingest.prepare(store, data, name, REGION, "bench", "en", user=BENCH)
    if not prepared.report.ok:
        raise SystemExit(
            f"{name}: {len(prepared.report.errors)} errors, e.g. {prepared.report.errors[:3]}"
        )
    version = ingest.commit(store, prepared, "bench", user=BENCH)
    total = time.perf_counter() - start
    change = prepared.change
    print(
        f"  {name}: version {version.number}, {version.n_contributions:,} contributions; "
        f"contributions +{len(change.contributions.added):,} ~{len(change.contributions.changed_ids):,} "
        f"-{len(change.contributions.removed):,}"
    )
    return {**prepared.timings, "total": total}


def report(label: str, raw: float, timings: dict[str, float]) -> None:
    print(f"{label}")
    print(f"  raw python-calamine read      {raw:7.2f} s")
    for phase in ingest.PHASES:
        print(f"  {phase:<29} {timings.get(phase, 0):7.2f} s")
    print(
        f"  full ingest                   {timings['total']:7.2f} s  ({timings['total'] / raw:.1f} × the raw read)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=3_000)
    parser.add_argument("--db", help="store URL (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args(argv)
    load_reference()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        seeded = store.seed_samples_if_empty(ROOT / "data" / "sample")
        print(
            f"store: {store.url}, {len(store.current_versions())} regions ({len(seeded)} seeded now)"
        )

        start = time.perf_counter()
        partners, contributions = generate_register(REGION, 99, args.partners, args.contributions)
        big = workbook_bytes(partners, contributions)
        later = workbook_bytes(*quarter_later(partners, contributions))
        print(
            f"workbooks: {len(big) / 1e6:.1f} MB, {len(contributions):,} contributions, "
            f"{len(partners):,} partners (generated in {time.perf_counter() - start:.1f} s, not counted)"
        )

        report(
            "1. replacing the sample register", raw_read(big), ingest_once(store, big, "big.xlsx")
        )
        report(
            "2. the same register a quarter later",
            raw_read(later),
            ingest_once(store, later, "later.xlsx"),
        )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
