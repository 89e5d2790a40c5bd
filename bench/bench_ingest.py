"""Time to ingest a 100,000-contribution workbook (read, validate, diff, commit), next to the raw read.

    python bench/bench_ingest.py [--contributions 100000] [--partners 3000] [--db URL ...]
                                 [--large 671000] [--keep DIR]

Each store (a new SQLite file by default; every `--db` given, e.g. a PostgreSQL URL, in a new
database of its own) starts empty. Two uploads of region RBD are timed: the big register as the
region's first version, then the same register a quarter later (1 % of the amounts changed,
100 contributions removed, 100 added) compared with the big one and committed. `--large N`
adds the same two uploads of an N-contribution register (671,000 is the size a focal point sent).
Every figure is printed beside the raw python-calamine read of the same file, with the goal of
issue #16 and the peak memory of the process during the ingest. Prints figures; asserts nothing.
"""

import argparse
import io
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from analytics.access.roles import ADMIN, User  # noqa: E402
from analytics.reference.load import load_reference  # noqa: E402
from analytics.register.template import write_workbook  # noqa: E402
from analytics.sample.generate import generate_register  # noqa: E402
from analytics.services import ingest  # noqa: E402
from analytics.store.versions import open_store  # noqa: E402

REGION = "RBD"
BENCH = User("bench", ADMIN)  # the acting user of the timed ingest
# Issue #16: an ingest within this many raw reads of the same file (first, re-ingest) per database.
GOALS = {"sqlite": (2.5, 2.0), "postgresql": (2.5, 2.5)}
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """Resident memory of this process, in bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class PeakMemory:
    """The highest resident memory seen while the block runs (sampled every 5 ms)."""

    def __enter__(self):
        self.start = self.peak = rss()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._done.wait(0.005):
            self.peak = max(self.peak, rss())

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss())


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


def workbooks(n_partners: int, n_contributions: int, keep: Path | None) -> tuple[bytes, bytes]:
    """The big register and the same a quarter later, as .xlsx bytes (kept in `keep` if given)."""
    names = [f"bench-{n_partners}-{n_contributions}-{step}.xlsx" for step in ("big", "later")]
    if keep and all((keep / n).exists() for n in names):
        return tuple((keep / n).read_bytes() for n in names)
    start = time.perf_counter()
    partners, contributions = generate_register(REGION, 99, n_partners, n_contributions)
    data = (
        workbook_bytes(partners, contributions),
        workbook_bytes(*quarter_later(partners, contributions)),
    )
    print(f"  (generated in {time.perf_counter() - start:.0f} s, not counted)")
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        for name, content in zip(names, data, strict=True):
            (keep / name).write_bytes(content)
    return data


def ingest_once(store, data: bytes, name: str) -> dict[str, float]:
    with PeakMemory() as memory:
        start = time.perf_counter()
        prepared = ingest.prepare(store, data, name, REGION, "bench", user=BENCH)
        if not prepared.report.ok:
            raise SystemExit(
                f"{name}: {len(prepared.report.errors)} errors, e.g. {prepared.report.errors[:3]}"
            )
        # The later quarter drops rows, as a real quarter does; a removal needs its reason.
        version = ingest.commit(
            store, prepared, "bench", user=BENCH, reason="bench: rows closed this quarter"
        )
        total = time.perf_counter() - start
    change = prepared.change.contributions
    print(
        f"  {name}: version {version.number}, {version.n_contributions:,} contributions; "
        f"contributions +{len(change.added):,} ~{len(change.changed_ids):,} -{len(change.removed):,}"
    )
    return {
        **prepared.timings,
        "total": total,
        "peak": memory.peak / 1e6,
        "added": (memory.peak - memory.start) / 1e6,
    }


def report(label: str, raw: float, timings: dict[str, float], goal: float) -> None:
    print(label)
    print(f"  raw python-calamine read      {raw:7.2f} s")
    for phase in ingest.PHASES:
        print(f"  {phase:<29} {timings.get(phase, 0):7.2f} s")
    ratio = timings["total"] / raw
    verdict = "within" if ratio <= goal else "OVER"
    print(
        f"  full ingest                   {timings['total']:7.2f} s  "
        f"({ratio:.2f} × the raw read; goal {goal} ×: {verdict})"
    )
    print(
        f"  peak memory                   {timings['peak']:7.0f} MB  "
        f"(+{timings['added']:.0f} MB during the ingest)"
    )


def empty_store_url(url: str | None, tmp: Path) -> tuple[str, callable]:
    """A URL of an empty store (a new SQLite file, or a new database on a server) and its cleanup."""
    if url is None or url.startswith("sqlite"):
        path = tmp / f"bench-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: None
    # A database of its own, as tests/postgres.py makes one (the role may create databases, not
    # always schemas in the one it connects to).
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.make_url(url).set(database=name).render_as_string(hide_password=False), drop


def run(label: str, big: bytes, later: bytes, urls: list[str | None], tmp: Path) -> None:
    print(f"\n== {label}: {len(big) / 1e6:.1f} MB workbook")
    raws = raw_read(big), raw_read(later)
    for url in urls:
        store_url, cleanup = empty_store_url(url, tmp)
        store = open_store(store_url)
        try:
            backend = store.engine.dialect.name
            first_goal, again_goal = GOALS.get(backend, GOALS["postgresql"])
            print(f"-- {backend}: {store.url}")
            report(
                "1. first ingest into an empty store",
                raws[0],
                ingest_once(store, big, "big.xlsx"),
                first_goal,
            )
            report(
                "2. the same register a quarter later (re-ingest)",
                raws[1],
                ingest_once(store, later, "later.xlsx"),
                again_goal,
            )
        finally:
            store.close()
            cleanup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=3_000)
    parser.add_argument(
        "--db",
        action="append",
        help="store URL to bench besides a new SQLite file (repeat; a server gets a new database)",
    )
    parser.add_argument(
        "--large", type=int, default=0, help="also an N-contribution register (e.g. 671000)"
    )
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the generated workbooks here")
    args = parser.parse_args(argv)
    load_reference()
    urls = [None, *(args.db or [])]
    sizes = [(args.partners, args.contributions)]
    if args.large:
        sizes.append((max(args.partners, args.large * 3 // 100), args.large))
    with tempfile.TemporaryDirectory() as tmp:
        for n_partners, n_contributions in sizes:
            label = f"{n_contributions:,} contributions, {n_partners:,} partners"
            print(f"workbooks: {label}")
            big, later = workbooks(n_partners, n_contributions, args.keep)
            run(label, big, later, urls, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
