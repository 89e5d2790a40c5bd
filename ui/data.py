"""The register the pages show: the store opened once per process, frames cached per store state.

The cache key is the store's latest version id, read on each rerun (one cheap query): a commit in
this process or in another one (several app processes share one database) changes the key, so
no page shows a stale register and nothing has to remember to clear a cache.
"""

import pandas as pd
import streamlit as st

from analytics.store import Store, open_store


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The store of this process (DATABASE_URL or the embedded file), seeded with samples if empty."""
    opened = open_store()
    opened.seed_samples_if_empty()
    return opened


def store_state() -> int:
    """The id of the latest version of any region: changes with every commit or restore."""
    versions = store().current_versions()
    return max((v.id for v in versions.values()), default=0)


@st.cache_data(show_spinner=False, max_entries=4)
def _register(state: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return store().load_current()


def current_register() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partners and contributions (with `region`) of the current version of every region."""
    return _register(store_state())
