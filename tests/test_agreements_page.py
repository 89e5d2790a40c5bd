"""The agreements page through AppTest: on the sample data (overdue reports first) and empty."""

import json
from datetime import date

import pytest

from analytics.i18n import t
from analytics.indicators import follow_up_lists as lists
from analytics.store.versions import open_store
from tests.test_pages import empty_store, open_page, sample_store, seeded  # noqa: F401

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
    assert settings["days_late"]["label"] == t("pages.agreements.days_late", lang)
    days = first["days_late"].tolist()
    assert days == sorted(days, reverse=True)
    assert set(overdue["region"]) <= {"RBC", "RBD", "RBN"}


def test_one_region_shows_only_its_own_reports(sample_store):  # noqa: F811
    # RBJ's sample reports all came in by the sample's date (analytics.sample.agreements); a
    # report due since then and not submitted is overdue today, as it would be for real.
    at = open_page(PAGE)
    at.selectbox(key="agreements_region").select("RBJ").run()
    assert not at.exception
    store = open_store(sample_store)
    try:
        partners, _ = store.load_current()
        agreements, reports = store.load_follow_up()
    finally:
        store.close()
    overdue = lists.overdue_reports(partners, agreements, reports, date.today(), "RBJ")
    if overdue.empty:
        assert t("pages.agreements.overdue_none", "en") in [c.value for c in at.caption]
    else:
        assert set(overdue["region"]) == {"RBJ"}
        assert len(at.dataframe[0].value) == len(overdue)


def test_the_page_on_an_empty_store(empty_store):  # noqa: F811
    at = open_page(PAGE)
    assert at.title[0].value == t("pages.agreements.title", "en")
    assert [i.value for i in at.info] == [t("pages.empty_store", "en")]
