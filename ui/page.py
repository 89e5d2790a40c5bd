"""The preamble every page script shares, in one call: `page = ui.page.start("upload")`.

It gives the page's language (the sidebar switch's, see ui.state), the acting user (app.py's
sign-in gate has run; a page run on its own without one says so and stops), the page's messages
(`page("title")` is `upload.title` in that language), and draws the title, the introduction and
the message the previous run left (a flash: a commit's result survives the st.rerun that empties
the form). The page itself then only reads widgets, calls services and renders.

The dashboard pages share a larger frame (filters, prepared register), ui.dashboard.run, which
starts with this one.
"""

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from analytics.access.roles import Refused, User
from analytics.i18n import t
from analytics.reference.load import Reference, load_reference
from analytics.reference.refcheck import ReferenceDataError
from analytics.text import plain
from ui.auth import signed_in_user
from ui.state import lang as current_lang

FLASH_KINDS = ("success", "info", "warning", "error")


@dataclass(frozen=True)
class Page:
    """One run of a page: its language, its acting user and where its messages live."""

    lang: str
    user: User
    messages: str  # the page's section of the message catalogue, e.g. "upload"
    name: str  # the page's name, the prefix of its session keys

    def __call__(self, key: str, **values) -> str:
        """The page's own message `key` (in its catalogue section), in the page's language."""
        return t(f"{self.messages}.{key}", self.lang, **values)

    def t(self, key: str, **values) -> str:
        """Any message of the catalogue (`flow.commit`), in the page's language."""
        return t(key, self.lang, **values)

    def refused(self, refused: Refused) -> NoReturn:
        """The user may not do what this page is for: say why and stop the page."""
        st.error(refused.message(self.lang))
        st.stop()

    def flash(self, kind: str, text: str) -> None:
        """A message for the next run of this page (after an st.rerun)."""
        assert kind in FLASH_KINDS, kind
        st.session_state[f"{self.name}_flash"] = (kind, text)

    def show_flash(self) -> str | None:
        """Draw the message the previous run left, once; returns its kind (None if none)."""
        left = st.session_state.pop(f"{self.name}_flash", None)
        if left is None:
            return None
        kind, text = left
        getattr(st, kind)(text)
        return kind

    def reference(self) -> Reference:
        """The reference data in force; a damaged file is said (which file, which row) and stops
        the page under its title, so that an admin knows what to fix."""
        try:
            return load_reference()
        except ReferenceDataError as exc:
            st.error(plain(exc.message(self.lang)), icon=":material/table_edit:")
            st.stop()


def start(
    messages: str,
    *,
    name: str | None = None,
    title: str | None = "title",
    intro: str | None = "intro",
    show_flash: bool = True,
) -> Page:
    """The page's context, with its title and introduction drawn (keys in its `messages`
    section; None draws none) and the previous run's flash shown under them (`show_flash=False`:
    the page draws it itself, with `page.show_flash()`, where it belongs).

    `name` (default: `messages`) prefixes the page's session keys (`upload_flash`).
    """
    lang = current_lang()
    user = signed_in_user(lang)
    page = Page(lang, user, messages, name or messages)
    if title:
        st.title(page(title))
    if intro:
        st.caption(page(intro))
    if show_flash:
        page.show_flash()
    return page
