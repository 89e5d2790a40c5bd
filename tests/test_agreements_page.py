"""The agreements page through AppTest: on the sample data (overdue reports first) and empty."""

import json
from datetime import date

import pandas as pd
import pytest

from analytics.i18n import t
from analytics.indicators import follow_up_lists as lists
from analytics.indicators.scope import Filters
from analytics.store.versions import open_store
from tests.test_pages import empty_store, open_page, sample_store, seeded, widget  # noqa: F401

PAGE = "app_pages/dashboards/agreements.py"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_lists_overdue_reports_first_on_the_sample_data(sample_store, lang):  # noqa: F811
    at = open_page(PAGE, lang=lang)
    assert at.title[0].value == t("pages.agreements.title", lang)
    assert [s.value for s in at.subheader] == [
        t(f"pages.agreements.{k}", lang) for k in ("overdue", "due_soon", "ending", "money")
    ]
    store = open_store(sample_store)
    try:
        partners, _ = store.load_current()
        agreements, reports = store.load_follow_up()
    finally:
        store.close()
    overdue = lists.overdue_reports(partners, agreements, reports, date.today())
    assert len(overdue) > 0  # the sample has overdue reports (RBC, RBD, RBN)
    first = at.dataframe[0].value
    assert len(first) == len(overdue)
    # The headers are the column settings' labels; the values stay numbers (sorted by value).
    settings = json.loads(at.dataframe[0].proto.columns)
    assert settings["days_late"]["label"] == t("pages.columns.days_late", lang)
    days = first["days_late"].tolist()
    assert days == sorted(days, reverse=True)
    assert set(overdue["region"]) <= {"RBC", "RBD", "RBN"}


def _frames(url: str):
    store = open_store(url)
    try:
        partners, contributions = store.load_current()
        agreements, reports = store.load_follow_up()
    finally:
        store.close()
    return partners, contributions, agreements, reports


def _money(at):
    """The committed-vs-received table (every sample agreement has an amount)."""
    return next(d.value for d in at.dataframe if "committed_usd" in d.value.columns)


def _picks(at) -> set[str]:
    """The REGION:ID refs of the profile picker (its options read "RBD · A-01 — title")."""
    options = at.selectbox(key="agreement_pick").options
    none = t("pages.agreements.pick_none", "en")
    return {o.split(" — ")[0].replace(" · ", ":") for o in options if o != none}


def test_the_sidebar_region_filter_keeps_only_its_reports(sample_store):  # noqa: F811
    """The sidebar's region filter, as on every dashboard (the page has no picker of its own):
    RBD's overdue reports only, and only RBD's agreements in the lists and the profile picker."""
    at = open_page(PAGE)
    assert not [s for s in at.selectbox if s.key == "agreements_region"]
    partners, _, agreements, reports = _frames(sample_store)
    everywhere = lists.overdue_reports(partners, agreements, reports, date.today())
    widget(at, "regions").set_value(["RBD"]).run()
    assert not at.exception
    overdue = lists.overdue_reports(partners, agreements, reports, date.today(), "RBD")
    assert 0 < len(overdue) < len(everywhere)  # the sample: RBD has overdue reports, not alone
    shown = at.dataframe[0].value
    assert shown["report_id"].tolist() == overdue["report_id"].tolist()
    assert set(shown["region"]) == {"RBD"}
    assert set(_money(at)["region"]) == {"RBD"}
    rbd = agreements[agreements["region"] == "RBD"]
    assert _picks(at) == {f"RBD:{a}" for a in rbd["agreement_id"]}
    # RBJ: every report due by the sample's date came in; one due since then would be overdue
    # today, as it would be for real.
    widget(at, "regions").set_value(["RBJ"]).run()
    rbj = lists.overdue_reports(partners, agreements, reports, date.today(), "RBJ")
    if rbj.empty:
        assert t("pages.agreements.overdue_none", "en") in [c.value for c in at.caption]
    else:
        assert at.dataframe[0].value["report_id"].tolist() == rbj["report_id"].tolist()


def test_the_sidebar_type_filter_drops_agreements_of_other_partners(sample_store):  # noqa: F811
    """Partnership type "advocacy": an agreement whose partner is of another type is in no list
    and not in the picker; the expected set is read from the store (agreement -> its partner's
    type on (region, partner_id)), not from the page."""
    partners, _, agreements, reports = _frames(sample_store)
    kind = partners.drop_duplicates(["region", "partner_id"]).set_index(["region", "partner_id"])
    of = kind.loc[list(zip(agreements["region"], agreements["partner_id"], strict=True))]
    types = of["partnership_type"].to_numpy()
    advocacy = agreements[types == "advocacy"]
    other = agreements[types != "advocacy"]
    assert len(advocacy) and len(other)  # the sample has both
    at = open_page(PAGE, type="advocacy")
    assert widget(at, "partnership_types").value == ["advocacy"]
    money = _money(at)
    listed = set(zip(money["region"], money["agreement_id"], strict=True))
    assert listed == set(zip(advocacy["region"], advocacy["agreement_id"], strict=True))
    assert not listed & set(zip(other["region"], other["agreement_id"], strict=True))
    assert _picks(at) == {f"{r}:{a}" for r, a in listed}
    overdue = lists.overdue_reports(
        partners, agreements, reports, date.today(), Filters(partnership_types=("advocacy",))
    )
    if len(overdue):
        assert at.dataframe[0].value["report_id"].tolist() == overdue["report_id"].tolist()
        assert set(overdue["agreement_id"]) <= set(advocacy["agreement_id"])
    # With a region too: both filters hold.
    widget(at, "regions").set_value(["RBN"]).run()
    both = advocacy[advocacy["region"] == "RBN"]
    assert _picks(at) == {f"RBN:{a}" for a in both["agreement_id"]}


def test_scoped_agreements_follows_the_partner():
    """Hand-made frames: A1 of P1 (advocacy, ngo), A2 of P2 (implementation, private), A3 of an
    unknown partner P9, A4 of RBN's P1 (implementation: the same id in another region)."""
    partners = pd.DataFrame(
        {
            "region": ["RBD", "RBD", "RBN"],
            "partner_id": ["P1", "P2", "P1"],
            "partnership_type": ["advocacy", "implementation", "implementation"],
            "category": ["ngo", "private", "ngo"],
        }
    )
    agreements = pd.DataFrame(
        {
            "region": ["RBD", "RBD", "RBD", "RBN"],
            "agreement_id": ["A1", "A2", "A3", "A4"],
            "partner_id": ["P1", "P2", "P9", "P1"],
        }
    )

    def ids(filters):
        return lists.scoped_agreements(partners, agreements, filters)["agreement_id"].tolist()

    assert ids(None) == ["A1", "A2", "A3", "A4"]  # nothing filtered: even the unknown partner's
    assert ids("RBD") == ["A1", "A2", "A3"]
    assert ids(Filters(partnership_types=("implementation",))) == ["A2", "A4"]
    assert ids(Filters(categories=("ngo",))) == ["A1", "A4"]
    assert ids(Filters(regions=("RBN",), categories=("ngo",))) == ["A4"]
    # Contribution-only filters leave agreements alone.
    assert ids(Filters(kinds=("cash",), statuses=("received",))) == ["A1", "A2", "A3", "A4"]


def test_the_page_on_an_empty_store(empty_store):  # noqa: F811
    at = open_page(PAGE)
    assert at.title[0].value == t("pages.agreements.title", "en")
    assert [i.value for i in at.info] == [t("pages.empty_store", "en")]
