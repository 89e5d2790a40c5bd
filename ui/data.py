"""The register the pages show: the store opened once per process, frames cached per store state.

The cache key is the store's latest version id and latest review id, read on each rerun (cheap
queries): a commit or a review in this process or in another one (several app processes share
one database) changes the key, so
no page shows a stale register and nothing has to remember to clear a cache. The numbers also
depend on the reference data: `data_state` adds its state (the newest saved reference version
and the folder's file stamps) for the caches of prepared registers, indicators and decks.
"""

import pandas as pd
import streamlit as st

from analytics.reference.load import files_state, load_reference
from analytics.register.reading import Register
from analytics.services import refdata, review
from analytics.store.diff import Change, diff_registers
from analytics.store.reviews import last_review_id, load_approved, load_approved_follow_up
from analytics.store.versions import Store, database_url, open_store


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    opened = open_store(url)
    opened.seed_samples_if_empty()
    return opened


_OPENED: set[str] = set()  # the stores this process has opened (and seeded when empty)


def store() -> Store:
    """The store of this process (DATABASE_URL or the embedded file), seeded with samples if empty.

    Its first opening in the process says so on the page while it lasts: on a fresh install it
    loads the samples (seconds), and the reader sees a message rather than a blank page."""
    # Keyed on the URL so that a changed DATABASE_URL (tests, admin) opens that store, not the first one.
    url = database_url()
    if url in _OPENED:
        return _store(url)
    from analytics.i18n import t
    from ui.state import lang

    with st.spinner(t("ui.opening_store", lang())):
        opened = _store(url)
    _OPENED.add(url)
    return opened


def store_state() -> tuple[int, int]:
    """The ids of the latest version of any region and of the latest review: they change with
    every commit, restore, approval or return (the approved register follows the reviews)."""
    opened = store()
    return opened.latest_version_id(), last_review_id(opened.engine)


def reference_state() -> tuple:
    """What the numbers owe to the reference data (rates, budgets, targets, regions): the newest
    version saved in the store by any process, and the files of the folder as this process reads
    them (brought up to date by the sign-in gate's sync, or edited by hand)."""
    return refdata.latest_id(store()), files_state()


_THIS_RUN = "_data_state_this_run"  # data_state as read in the current script run (see new_run)


def new_run() -> None:
    """Forget the data state read in the previous script run (app.py, at the start of each)."""
    st.session_state[_THIS_RUN] = None


def data_state() -> tuple:
    """The key of every cache of numbers: which store, its registers and the reference data (the
    store's URL too: two stores, as tests open one after the other, can have the same ids).

    Read from the store once per script run (three queries), not at every cached call of the
    run: app.py calls `new_run` at the start of each run, and the first call of the run reads
    it. A script run without app.py (no `new_run`) reads it at each call."""
    if _THIS_RUN not in st.session_state:
        return database_url(), store_state(), reference_state()
    held = st.session_state[_THIS_RUN]
    if held is None or held[0] != database_url():
        held = st.session_state[_THIS_RUN] = (database_url(), store_state(), reference_state())
    return held


@st.cache_data(show_spinner=False, max_entries=4)
def _register(url: str, state: tuple, approved: bool) -> tuple[pd.DataFrame, ...]:
    opened = _store(url)
    if approved:
        return (*load_approved(opened), *load_approved_follow_up(opened))
    return (*opened.load_current(), *opened.load_follow_up())


def current_register(approved: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partners and contributions (with `region`) of the current version of every region, or
    of its latest approved version (`approved`)."""
    return _register(database_url(), store_state(), approved)[:2]


def current_follow_up(approved: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agreements and reports (with `region`) of the same versions as `current_register`."""
    return _register(database_url(), store_state(), approved)[2:]


@st.cache_data(show_spinner=False, max_entries=4)
def _review_states(url: str, state: tuple) -> dict:
    return review.counted(_store(url))


def review_states() -> dict:
    """region -> (current State, latest approved Version or None), per store state."""
    return _review_states(database_url(), store_state())


@st.cache_data(show_spinner=False, max_entries=8)
def _version_register(url: str, version_id: int) -> Register:
    return _store(url).load_version(version_id)


def version_register(version_id: int) -> Register:
    """The register of one version (versions never change, so the id is the whole key)."""
    return _version_register(database_url(), version_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _version_change(url: str, before_id: int | None, version_id: int, reference: tuple) -> Change:
    before = _version_register(url, before_id) if before_id is not None else None
    return diff_registers(before, _version_register(url, version_id), load_reference())


def version_change(before_id: int | None, version_id: int) -> Change:
    """The change from one version (None: nothing) to another, as the review page shows it:
    computed once per pair and reference data, not at every rerun of the page."""
    return _version_change(database_url(), before_id, version_id, reference_state())
