"""The partner profile lists the partner's agreements, each linking to its agreement profile on
the agreements page (`?agreement=REGION:ID`); AppTest on the sample registers, in EN and FR."""

from datetime import date
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from analytics.i18n import t
from analytics.store.versions import open_store
from tests.test_pages import open_page, sample_store, seeded  # noqa: F401 - fixtures

PARTNERS = "app_pages/dashboards/partners.py"
AGREEMENTS = "app_pages/dashboards/agreements.py"


def _follow_up(url: str):
    store = open_store(url)
    try:
        return store.load_follow_up()
    finally:
        store.close()


def _busiest_partner(agreements):
    """The sample partner with the most agreements (region, partner_id) and their ids."""
    counts = agreements.groupby(["region", "partner_id"]).size().sort_values(ascending=False)
    region, partner_id = counts.index[0]
    mine = agreements[(agreements["region"] == region) & (agreements["partner_id"] == partner_id)]
    return region, partner_id, mine


def _table(at, lang):
    header = t("pages.partners.agreement_profile", lang)
    return next(df.value for df in at.dataframe if "link" in df.value.columns or header in df.value)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_profile_lists_the_agreements_with_links(sample_store, lang):  # noqa: F811
    agreements, reports = _follow_up(sample_store)
    region, partner_id, mine = _busiest_partner(agreements)
    at = open_page(PARTNERS, partner=f"{region}:{partner_id}", lang=lang)
    assert t("pages.partners.agreements", lang) in [m.value.strip("*") for m in at.markdown]
    table = _table(at, lang)
    ids = t("columns.agreement_id", lang)
    # Every agreement of the partner, the latest start first.
    expected = mine.sort_values(["start_date", "agreement_id"], ascending=[False, True])
    assert table[ids].tolist() == expected["agreement_id"].tolist()
    assert t("pages.partners.committed", lang) in table.columns
    # Reports overdue today: due before today and never submitted, per agreement.
    late = (
        reports[
            (reports["region"] == region)
            & (reports["due_date"] < pd.Timestamp(date.today()))
            & reports["submitted_on"].isna()
        ]
        .groupby("agreement_id")
        .size()
    )
    overdue = table[t("pages.partners.overdue_reports", lang)].tolist()
    assert overdue == [int(late.get(a, 0)) for a in expected["agreement_id"]]
    # Each link opens that agreement's profile, in the same language.
    links = table["link"].tolist()
    for link, agreement_id in zip(links, expected["agreement_id"], strict=True):
        query = parse_qs(urlparse(link).query)
        assert urlparse(link).path == "agreements"
        assert query == {"agreement": [f"{region}:{agreement_id}"], "lang": [lang]}
    first = parse_qs(urlparse(links[0]).query)
    opened = open_page(AGREEMENTS, agreement=first["agreement"][0], lang=lang)
    assert not opened.warning
    assert opened.selectbox(key="agreement_pick").value == first["agreement"][0]


def test_a_partner_without_agreements_says_so(sample_store):  # noqa: F811
    agreements, _ = _follow_up(sample_store)
    store = open_store(sample_store)
    try:
        partners, _ = store.load_current()
    finally:
        store.close()
    with_agreements = set(zip(agreements["region"], agreements["partner_id"], strict=True))
    region, partner_id = next(
        (r, p)
        for r, p in zip(partners["region"], partners["partner_id"], strict=True)
        if (r, p) not in with_agreements
    )
    at = open_page(PARTNERS, partner=f"{region}:{partner_id}")
    assert t("pages.partners.no_agreements", "en") in [c.value for c in at.caption]
