"""Time the partners table as the partners page draws it, on 50,000 partners: st.dataframe of the
plain frame next to st.dataframe of ui.tables' Styler (numbers and dates written by Babel).

Run: .venv/bin/python bench/bench_tables.py [N_PARTNERS N_CONTRIBUTIONS] [--uncapped] (the
Styler on the whole table too: minutes). Figures only, no
assertions. The frames are bench_indicators' generated ones; st.dataframe runs in Streamlit's
bare mode (no server), which builds the same Arrow message as in a page and discards it.
"""

import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit as st  # noqa: E402
from bench_indicators import make_frames  # noqa: E402

from analytics import indicators  # noqa: E402
from analytics.indicators import views  # noqa: E402
from analytics.reference.load import load_reference  # noqa: E402
from schemas import shown_as  # noqa: E402
from ui import tables  # noqa: E402

COLUMNS = views.PARTNERS_TABLE  # the partners page's


def best(fn, repeat: int = 3) -> float:
    """The best of `repeat` wall times of fn(), in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str]) -> None:
    argv = [a for a in argv if not a.startswith("--")]
    n_partners = int(argv[0]) if argv else 50_000
    n_contributions = int(argv[1]) if len(argv) > 1 else 200_000
    reference = load_reference()
    partners, contributions = make_frames(n_partners, n_contributions, reference)
    prepared = indicators.prepare(partners, contributions, reference)
    year = indicators.latest_year(prepared)
    table = indicators.partners_table(prepared, year)
    lang = "fr"
    shown = views.with_labels(table[COLUMNS], reference, lang)
    money = [c for c in COLUMNS if shown_as(c) == "usd"]
    shares = [c for c in COLUMNS if shown_as(c) == "share"]
    config = tables.column_config(COLUMNS, lang)
    print(f"partners table: {len(shown):,} rows × {shown.shape[1]} columns")

    def styler_drawn(frame):  # the Styler's way, whatever the table's size
        with pd.option_context("styler.render.max_elements", max(frame.size, 262_144)):
            st.dataframe(
                tables.styled(frame, lang, money, shares),
                hide_index=True,
                column_config=config,
            )

    st.dataframe(shown.head(10))  # Streamlit's bare-mode warning, once, out of the timings
    plain = best(lambda: st.dataframe(shown, hide_index=True, column_config=config))
    drawn = best(
        lambda: tables.dataframe(shown, lang, money=money, shares=shares, column_config=config)
    )
    print(f"{len(shown):,} rows: st.dataframe of the plain frame {plain * 1000:8.1f} ms")
    print(
        f"{len(shown):,} rows: tables.dataframe               {drawn * 1000:8.1f} ms"
        f"   ratio {drawn / plain:5.2f}"
    )
    for n in (tables.STYLED_ROWS, 500):
        small = shown.head(n)
        small_plain = best(lambda s=small: st.dataframe(s, hide_index=True, column_config=config))
        small_styled = best(lambda s=small: styler_drawn(s), repeat=1)
        small_drawn = best(
            lambda s=small: tables.dataframe(
                s, lang, money=money, shares=shares, column_config=config
            ),
            repeat=1,
        )
        print(
            f"{n:,} rows: plain {small_plain * 1000:.1f} ms, Styler {small_styled * 1000:.1f} ms "
            f"(ratio {small_styled / small_plain:.1f}), tables.dataframe {small_drawn * 1000:.1f} ms"
        )
    if "--uncapped" in sys.argv:  # minutes: the Styler on the whole table
        uncapped = best(lambda: styler_drawn(shown), repeat=1)
        print(f"{len(shown):,} rows through the Styler: {uncapped * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
