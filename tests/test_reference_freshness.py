"""Pages and decks follow a reference-data change at once, whichever process made it (issue #15,
point 1): the caches are keyed on the reference state, not only on the registers' versions."""

import hashlib
import os
import shutil
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import indicators as ind
from analytics.access.roles import ADMIN, User
from analytics.reference.load import load_reference
from analytics.services import refdata
from analytics.store.tables import reference_versions
from analytics.store.versions import open_store
from tests.conftest import ROOT

ADMIN_USER = User("admin", ADMIN)
# file -> (column scaled, the overview card that moves with it)
CHANGES = {
    "exchange_rates": ("usd_per_unit", "contributions_usd"),
    "budgets": ("budget_usd", "private_share_of_budget"),
}


@pytest.fixture
def app(seeded, tmp_path, monkeypatch) -> str:
    """The app on a copy of the sample store and its own reference folder; the store's URL."""
    shutil.copy(seeded, tmp_path / "store.db")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(tmp_path / "users.toml"))  # demo mode
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(tmp_path / "reference"))
    st.cache_resource.clear()
    st.cache_data.clear()
    return url


def _year(url: str) -> int:
    store = open_store(url)
    prepared = ind.prepare(*store.load_current(), load_reference())
    store.close()
    return ind.years_with_data(prepared)[-1]


def _fresh(url: str, indicator: str, year: int) -> str:
    """The card's text from a fresh computation: the store's registers, the files in force."""
    store = open_store(url)
    prepared = ind.prepare(*store.load_current(), load_reference())
    store.close()
    value = ind.compute(prepared, year, indicators=[indicator]).iloc[0][indicator]
    return ind.format_value(indicator, value, "en")


def _card(at: AppTest, indicator: str) -> str:
    return {m.label: m.value for m in at.metric}[ind.short(indicator, "en")]


def _scaled(name: str, factor: float):
    column, _ = CHANGES[name]
    frame = refdata.current(name)
    frame[column] = (frame[column].astype(float) * factor).map(repr)
    return frame


def _overview(year: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "year": str(year)})
    at.run()
    assert not at.exception and not at.error
    return at


def _board_cards(at: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html"))


@pytest.mark.parametrize("name", list(CHANGES))
def test_an_admins_save_shows_at_once_on_the_overview_and_the_board(app, name):
    """Rates ×10 (or budgets ×10) saved on the reference page: the next run shows new numbers."""
    _, indicator = CHANGES[name]
    year = _year(app)
    at = _overview(year)
    before = _card(at, indicator)
    assert before == _fresh(app, indicator, year)

    store = open_store(app)
    assert refdata.save(store, ADMIN_USER, name, _scaled(name, 10)) is not None
    store.close()
    at.run()
    assert not at.exception and not at.error
    after = _card(at, indicator)
    assert after == _fresh(app, indicator, year)
    assert after != before

    at.query_params["slide"] = "3"  # the board's key indicators (after the title and the story)
    at.switch_page("app_pages/dashboards/board.py").run()
    assert not at.exception and not at.error
    assert f'<div class="bd-value">{after}</div>' in _board_cards(at)


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_version_saved_by_another_process_shows_after_the_sync(app, name):
    """Another app process saved a version: this one has only the store's row, not the file yet."""
    _, indicator = CHANGES[name]
    year = _year(app)
    at = _overview(year)
    before = _card(at, indicator)
    text = refdata.to_csv(_scaled(name, 10))
    store = open_store(app)
    with store.engine.begin() as conn:
        top = conn.execute(
            sa.select(sa.func.max(reference_versions.c.number)).where(
                reference_versions.c.file == name
            )
        ).scalar()
        conn.execute(
            sa.insert(reference_versions).values(
                file=name,
                number=(top or 0) + 1,
                created_at=datetime.now(UTC),
                author="someone elsewhere",
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                content=text,
            )
        )
    store.close()
    at.run()  # the sign-in gate brings the folder up to date, the caches follow
    assert not at.exception and not at.error
    after = _card(at, indicator)
    assert after == _fresh(app, indicator, year) != before


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_file_rewritten_in_the_folder_is_read_again(app, name):
    """A file replaced under this process (by hand, or by another process's sync)."""
    _, indicator = CHANGES[name]
    year = _year(app)
    at = _overview(year)
    before = _card(at, indicator)
    column, _ = CHANGES[name]
    folder = refdata.folder()
    old = load_reference()
    partial = folder / f".{name}.new"
    partial.write_text(refdata.to_csv(_scaled(name, 10)), encoding="utf-8")
    os.replace(partial, folder / f"{name}.csv")

    fresh = load_reference()  # no cache to clear: the loader sees the file changed
    assert getattr(fresh, name)[column].sum() == pytest.approx(
        getattr(old, name)[column].sum() * 10
    )
    at.run()
    assert not at.exception and not at.error
    after = _card(at, indicator)
    assert after == _fresh(app, indicator, year) != before
