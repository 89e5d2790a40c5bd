"""Time the overview's indicators on 50,000 partners and 1,000,000 contributions, cold and cached.

Run: .venv/bin/python bench/bench_indicators.py [N_PARTNERS N_CONTRIBUTIONS]. Figures only, no
assertions: the frames are generated directly (fixed numpy seed) with the dtypes the store gives.
"Cold" is a new store state (prepare, then the overview); "cached" is a filter change once
prepare is cached (st.cache_resource), every chart's indicators recomputed for the new scope.
"""

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics import indicators  # noqa: E402
from analytics.reference.load import load_reference  # noqa: E402


def _choice(rng: np.random.Generator, values, n: int, p=None) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object)[rng.choice(len(values), n, p=p)], dtype="str")


def _dates(rng: np.random.Generator, first: str, last: str, n: int) -> pd.Series:
    lo, hi = (
        pd.Timestamp(first).value // 86_400_000_000_000,
        pd.Timestamp(last).value // 86_400_000_000_000,
    )
    return pd.Series(pd.to_datetime(rng.integers(lo, hi + 1, n), unit="D"))


def make_frames(n_partners: int, n_contributions: int, reference, seed: int = 42):
    """Partners and contributions of every region, as the store returns them."""
    rng = np.random.default_rng(seed)
    regions = reference.region_codes
    # Ids repeat across regions on purpose: a partner is (region, partner_id).
    order = rng.permutation(n_partners)
    region = pd.Series(np.asarray(regions, dtype=object)[order % len(regions)], dtype="str")
    partner_id = pd.Series([f"P{i:05d}" for i in order // len(regions)], dtype="str")
    start = _dates(rng, "2012-01-01", "2026-06-30", n_partners)
    end = start + pd.to_timedelta(rng.integers(180, 3650, n_partners), unit="D")
    stage = _choice(rng, ["prospect", "active", "closed"], n_partners, p=[0.15, 0.6, 0.25])
    end = end.where(stage == "closed")
    start = start.where(stage != "prospect")
    objectives = reference.objective_codes()
    partners = pd.DataFrame(
        {
            "partner_id": partner_id,
            "partner_name": "Partner " + partner_id,
            "category": _choice(rng, reference.codes("category"), n_partners),
            "sector": _choice(rng, ["banking", "technology", "logistics"], n_partners),
            "partnership_type": _choice(rng, reference.codes("partnership_type"), n_partners),
            "region": region,
            "country": _choice(rng, ["SEN", "KEN", "THA", "EGY", "ZAF", "PAN"], n_partners),
            "stage": stage,
            "start_date": start,
            "end_date": end,
            "due_diligence": _choice(rng, reference.codes("due_diligence"), n_partners),
            "due_diligence_date": start,
            "focal_point": _choice(rng, ["Awa", "Jane", None], n_partners),
            "has_kpis": pd.array(rng.random(n_partners) < 0.6, dtype="boolean"),
            "last_review": _dates(rng, "2022-01-01", "2026-06-30", n_partners),
            "evaluated": pd.array(rng.random(n_partners) < 0.3, dtype="boolean"),
            "strategic_objectives": pd.Series(
                [
                    ";".join(objectives[j] for j in range(len(objectives)) if m >> j & 1) or None
                    for m in rng.integers(0, 1 << len(objectives), n_partners)
                ],
                dtype="str",
            ),
        }
    )
    owner = rng.integers(0, n_partners, n_contributions)
    currencies = reference.exchange_rates["currency"].unique()
    contributions = pd.DataFrame(
        {
            "contribution_id": pd.Series(
                [f"C{i:07d}" for i in range(n_contributions)], dtype="str"
            ),
            "partner_id": partner_id.to_numpy()[owner],
            "date": _dates(rng, "2018-01-01", "2026-06-30", n_contributions),
            "status": _choice(rng, ["pledged", "received"], n_contributions, p=[0.3, 0.7]),
            "kind": _choice(rng, ["financial", "in_kind"], n_contributions, p=[0.8, 0.2]),
            "amount": rng.lognormal(9, 1.5, n_contributions).round(2),
            "currency": _choice(rng, currencies, n_contributions),
            "country": _choice(
                rng, ["SEN", "KEN", "THA", "EGY", "ZAF", "PAN", None], n_contributions
            ),
            "partnership_type": _choice(
                rng,
                [*reference.codes("partnership_type"), None],
                n_contributions,
                p=[0.05, 0.05, 0.05, 0.05, 0.8],
            ),
            "thematic_area": _choice(rng, reference.codes("thematic_area"), n_contributions),
            "multi_year": pd.array(rng.random(n_contributions) < 0.2, dtype="boolean"),
            "description": pd.Series([None] * n_contributions, dtype="str"),
            "region": region.to_numpy()[owner],
        }
    )
    contributions["partner_id"] = contributions["partner_id"].astype("str")
    contributions["region"] = contributions["region"].astype("str")
    return partners, contributions


def overview(prepared, period, filters) -> None:
    """What the overview page asks the catalogue for (app_pages/dashboards/overview.py), in the same order."""
    ids = list(indicators.OVERVIEW)
    indicators.compute(prepared, period, (), filters, None, ids)  # cards: the period…
    indicators.compute(
        prepared, indicators.previous_period(period), (), filters, None, ids
    )  # …and Y-1
    indicators.compute(
        prepared, period, ("region", "partnership_type"), filters, None, ["contributions_usd"]
    )
    indicators.compute(prepared, period, ("region",), filters, None, ["private_share_of_budget"])
    indicators.targets(prepared, period, ("region",), filters)
    indicators.timeseries(
        prepared, None, ("partnership_type",), filters, None, ["contributions_usd"]
    )
    indicators.top_partners(prepared, period, filters, 10)
    indicators.compute(prepared, period, (), filters, None, ["top5_share", "top10_share"])
    indicators.beneficiary_countries(prepared, period, filters)


def overview_figures(prepared, period, filters, lang: str = "en") -> None:
    """The overview's charts as its page draws them after a filter change (a new view, so built
    afresh: ui.dashboard caches them per view), with the by-region chart's provenance texts."""
    from analytics import charts
    from analytics.indicators import provenance, views

    ref = prepared.reference
    by = ("region", "partnership_type")
    frame = indicators.compute(prepared, period, by, filters, None, ["contributions_usd"])
    texts = provenance.texts_by_group(
        provenance.provenance(prepared, "contributions_usd", period, by, filters), lang
    )
    charts.contributions_by_region(frame, ref, lang, origins=texts)
    charts.share_vs_target(views.share_vs_target(prepared, period, filters), ref, lang)
    frame = indicators.timeseries(
        prepared, None, ("partnership_type",), filters, None, ["contributions_usd"]
    )
    charts.trend(frame, ref, lang, period=period)
    charts.concentration(indicators.top_partners(prepared, period, filters, 10), ref, lang)
    charts.beneficiary_map(indicators.beneficiary_countries(prepared, period, filters), lang)


def timed(label: str, fn, repeat: int = 3):
    """Run fn `repeat` times; print the first (cold) time and the median."""
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    print(
        f"{label:<58} first {times[0] * 1000:7.1f} ms   median {sorted(times)[len(times) // 2] * 1000:7.1f} ms"
    )
    return result


def main(argv: list[str]) -> None:
    n_partners = int(argv[0]) if argv else 50_000
    n_contributions = int(argv[1]) if len(argv) > 1 else 1_000_000
    reference = load_reference()
    t0 = time.perf_counter()
    partners, contributions = make_frames(n_partners, n_contributions, reference)
    print(
        f"generated {len(partners):,} partners, {len(contributions):,} contributions "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    # Cold: a new store state: prepare, then the overview with nothing cached.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    prepared = indicators.prepare(partners, contributions, reference)
    t1 = time.perf_counter()
    year = indicators.latest_year(prepared)
    overview(prepared, (year, year), indicators.NO_FILTERS)
    t2 = time.perf_counter()
    print(f"year {year}")
    print(
        f"COLD   prepare {1000 * (t1 - t0):7.1f} ms + overview {1000 * (t2 - t1):7.1f} ms = {1000 * (t2 - t0):7.1f} ms"
    )

    # Cached: prepare is cached (st.cache_resource); the user changes a filter: new scope each time.
    changes = [
        indicators.Filters(regions=["RBD"]),
        indicators.Filters(partnership_types=["resource_mobilization"]),
        indicators.Filters(categories=["company", "foundation"], kinds=["financial"]),
        indicators.Filters(regions=["RBN", "RBJ"], statuses=["received"]),
        indicators.Filters(),
    ]
    times, cpu = [], []
    for filters in changes:
        period = (year - 1, year) if filters == indicators.Filters() else (year, year)
        t0, c0 = time.perf_counter(), time.process_time()
        overview(prepared, period, filters)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    runs = "  ".join(f"{s * 1000:6.1f}" for s in times)
    print(f"CACHED overview after a filter change (ms): {runs}   max {max(times) * 1000:6.1f}")
    # On a shared machine wall time includes waiting for a core; CPU time is the work itself.
    print(
        f"       CPU time of the same runs (ms):      {'  '.join(f'{s * 1000:6.1f}' for s in cpu)}"
    )

    # The same filter changes with the overview's figures built too (what the page adds to the
    # indicators when the view changes; a rerun of the same view takes them from its cache).
    overview_figures(prepared, (year, year), indicators.NO_FILTERS)  # Plotly's first use, untimed
    times = []
    for filters in changes:
        period = (year - 1, year) if filters == indicators.Filters() else (year, year)
        t0 = time.perf_counter()
        overview(prepared, period, filters)
        overview_figures(prepared, period, filters)
        times.append(time.perf_counter() - t0)
    runs = "  ".join(f"{s * 1000:6.1f}" for s in times)
    print(
        f"CACHED overview + its figures after a filter change (ms): {runs}   max {max(times) * 1000:6.1f}"
    )

    print("single calls, prepare cached:")
    timed("compute() total, all indicators", lambda: indicators.compute(prepared, year))
    timed(
        "compute() by region × partnership_type, all",
        lambda: indicators.compute(prepared, year, ["region", "partnership_type"]),
    )
    timed("growth() by region, all", lambda: indicators.growth(prepared, year, ["region"]))
    timed("gap_matrix()", lambda: indicators.gap_matrix(prepared, year))
    timed(
        "timeseries() every year, by type, contributions_usd",
        lambda: indicators.timeseries(
            prepared, None, ["partnership_type"], indicators=["contributions_usd"]
        ),
    )
    timed("top_partners(10)", lambda: indicators.top_partners(prepared, year))
    timed("partners_table()", lambda: indicators.partners_table(prepared, year))
    timed("beneficiary_countries()", lambda: indicators.beneficiary_countries(prepared, year))
    timed("notable_contributions()", lambda: indicators.notable_contributions(prepared, year))


if __name__ == "__main__":
    main(sys.argv[1:])
