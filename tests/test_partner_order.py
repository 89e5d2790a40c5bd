"""The Partners page lists partners by what it shows for the period, unless asked otherwise."""

import pandas as pd

from analytics.indicators import views


def _table() -> pd.DataFrame:
    # usd = given in the period, usd_total = all years: Atlas gave much before, nothing now.
    return pd.DataFrame(
        {
            "partner_name": ["Atlas", "Baobab", "Cauris", "Dune"],
            "usd": [0.0, 100.0, 50.0, 0.0],
            "usd_total": [900.0, 100.0, 50.0, 10.0],
        }
    )


def test_default_order_is_the_period_amount_then_the_total():
    assert list(views.PARTNER_SORTS)[0] == "usd"  # the page's selectbox starts on it
    order = views.sort_partners(_table(), "usd")["partner_name"].tolist()
    # 100 > 50 > 0 = 0; the two at 0 by their all-years total (900 before 10).
    assert order == ["Baobab", "Cauris", "Atlas", "Dune"]


def test_other_orders_still_apply():
    assert views.sort_partners(_table(), "usd_total")["partner_name"].tolist() == [
        "Atlas",
        "Baobab",
        "Cauris",
        "Dune",
    ]
    assert views.sort_partners(_table(), "partner_name")["partner_name"].tolist() == [
        "Atlas",
        "Baobab",
        "Cauris",
        "Dune",
    ]
    # An unknown order (an old link) falls back to the default.
    assert views.sort_partners(_table(), "nope")["partner_name"].tolist()[0] == "Baobab"
