"""The sign-in gate at the top of app.py: demo mode, the users file's form, or OpenID Connect.

Which one is the PARTNERSHIPS_AUTH setting: `auto` is demo mode when there is no users file and no
`[auth]` section in .streamlit/secrets.toml, and sign-in otherwise. Demo mode is served only by a
server bound to the loopback address, to a loopback peer, on a request without any proxy header.
"""

import ipaddress
import logging
from collections.abc import Callable, Mapping

import streamlit as st

from analytics.access.roles import ADMIN, User
from analytics.accounts import sign_in, users
from analytics.config import setting
from analytics.i18n import t
from analytics.store import audit

SESSION_KEY = "auth_user"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Any one of these (or any X-Forwarded-*) says a proxy relayed the request: the visitor may be anywhere.
PROXY_HEADERS = frozenset(
    {
        "forwarded",
        "via",
        "x-real-ip",
        "x-client-ip",
        "client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "fastly-client-ip",
        "x-cluster-client-ip",
        "x-original-forwarded-for",
        "x-proxyuser-ip",
        "x-originating-ip",
        "x-envoy-external-address",
        "x-azure-clientip",
        "x-appengine-user-ip",
    }
)
DEMO = User(name="demo", role=ADMIN, demo=True)
log = logging.getLogger("partnerships.auth")


def _oidc_section() -> Mapping | None:
    try:
        return st.secrets["auth"] if "auth" in st.secrets else None
    except Exception:  # noqa: BLE001 - no secrets file at all: no OIDC
        return None


def mode() -> str:
    """demo or sign_in, from the setting, the users file and the OIDC configuration."""
    chosen = setting("PARTNERSHIPS_AUTH").strip().lower()
    if chosen == "demo":
        return "demo"
    if chosen in ("password", "oidc"):
        return "sign_in"
    return "sign_in" if users.users_path().exists() or _oidc_section() is not None else "demo"


def _loopback(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return (mapped or address).is_loopback


def demo_allowed(address: str | None, peer: str | None, headers: Mapping[str, str]) -> bool:
    """May this visit get demo mode? Only a loopback-bound server, a loopback peer, no proxy header.

    `address` is server.address; `peer` is st.context.ip_address, which Streamlit gives as None for
    a loopback peer (127.0.0.1, ::1) and when there is no connection at all (AppTest). A plain TCP
    forwarder on the same machine also looks like a loopback peer: demo mode is never for a
    shared machine (docs/deployment.md).
    """
    if (address or "") not in LOOPBACK:
        return False
    names = {name.lower() for name in headers}
    if names & PROXY_HEADERS or any(name.startswith("x-forwarded-") for name in names):
        return False
    if peer is not None and not _loopback(peer):
        return False
    host = {k.lower(): v for k, v in headers.items()}.get("host", "localhost")
    return host.rsplit(":", 1)[0].strip("[]") in LOOPBACK


def _served_locally() -> bool:
    """This visit's demo_allowed(), from the server's option and the request's peer and headers."""
    peer = st.context.ip_address
    return demo_allowed(
        st.get_option("server.address"),
        # Anything but a string is no connection (AppTest gives a stand-in object).
        peer if isinstance(peer, str) else None,
        dict(st.context.headers or {}),
    )


def current_user() -> User | None:
    """The session's acting user (the demo visitor in demo mode), or None before sign-in."""
    user = st.session_state.get(SESSION_KEY)
    if user is None and mode() == "demo" and _served_locally():
        return DEMO  # a page run on its own (tests), before app.py's gate
    return user


def signed_in_user(lang: str) -> User:
    """The acting user; a page run without one says so and stops (app.py's gate normally shows the form)."""
    user = current_user()
    if user is None:
        st.warning(t("access.not_signed_in", lang))
        st.stop()
    return user


def _store():
    from ui.data import store

    return store()


def _regions_text(user: User) -> str:
    return f" · {', '.join(user.regions)}" if user.regions else ""


def _refresh(user: User) -> User | None:
    """The session's user as the users file says now: a disabled or removed account is signed out."""
    if user.demo:
        return user
    account = users.load_accounts().get(user.name)
    if account is None or account.disabled:
        return None
    return account.user()


def _sign_out(user: User) -> None:
    try:
        audit.record(_store(), user, audit.SIGN_OUT, subject=user.name)
    except Exception:  # noqa: BLE001 - signing out must work even when the store does not
        log.exception("audit of sign-out failed")
    st.session_state.pop(SESSION_KEY, None)
    if _oidc_section() is not None and st.user.is_logged_in:
        st.logout()


def _sidebar(user: User, lang: str) -> None:
    role = t(f"access.role_{user.role}", lang)
    st.sidebar.markdown(
        t("auth.signed_in_as", lang, name=user.name, role=role, regions=_regions_text(user))
    )
    st.sidebar.button(
        t("auth.sign_out", lang), key="auth_sign_out", on_click=_sign_out, args=(user,)
    )


def _from_oidc(lang: str) -> User | None:
    """The user mapped by e-mail from the identity provider's sign-in, once per session."""
    email = st.user.get("email") or ""
    # An address the provider has not verified proves nothing about who signed in.
    verified = st.user.get("email_verified", True) is not False
    account = users.account_for_email(email) if verified else None
    if account is None:
        st.warning(t("auth.oidc_unknown", lang, email=email))
        st.button(t("auth.sign_out", lang), key="auth_oidc_out", on_click=st.logout)
        return None
    user = account.user()
    audit.record(
        _store(), user, audit.SIGN_IN, subject=user.name, detail=audit.detail("oidc", email=email)
    )
    return user


def _oidc_login() -> None:
    section = _oidc_section() or {}
    named = [k for k, v in section.items() if isinstance(v, Mapping)]
    st.login(named[0] if named and "client_id" not in section else None)


FAILED_MESSAGES = {
    ("bad_credentials", ""): "auth.bad_credentials",
    ("throttled", "name"): "auth.throttled",
    ("throttled", "address"): "auth.throttled_address",
    ("throttled", "everyone"): "auth.throttled_everyone",
    ("busy", ""): "auth.busy",
}


def _client_address() -> str:
    """The visitor's address for the sign-in throttle: Streamlit gives None for loopback."""
    # Behind a reverse proxy this is the proxy's, unless uvicorn trusts its X-Forwarded-For
    # (FORWARDED_ALLOW_IPS, 127.0.0.1 by default; docs/deployment.md).
    peer = st.context.ip_address
    return peer if isinstance(peer, str) else "loopback"


def _form(lang: str) -> User | None:
    """The sign-in page: the users file's form, and the organisation's button when OIDC is set up."""
    st.title(t("auth.title", lang))
    if _oidc_section() is not None:
        st.button(
            t("auth.oidc_button", lang), key="auth_oidc", type="primary", on_click=_oidc_login
        )
        if not users.load_accounts():
            return None
        st.caption(t("auth.oidc_or", lang))
    if not users.users_path().exists():
        st.info(t("auth.no_users", lang))
        return None
    st.write(t("auth.intro", lang))
    with st.form("auth_form"):
        name = st.text_input(t("auth.name", lang), key="auth_name", autocomplete="username")
        password = st.text_input(
            t("auth.password", lang),
            type="password",
            key="auth_password",
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
    if not submitted:
        return None
    try:
        return sign_in.authenticate(_store(), name, password, address=_client_address())
    except sign_in.SignInFailed as failed:
        st.error(t(FAILED_MESSAGES[failed.code, failed.scope], lang, seconds=failed.wait))
    except Exception:  # noqa: BLE001 - the store is down: say so, never a traceback
        log.exception("sign-in failed")
        st.error(t("auth.unavailable", lang))
    return None


def _sync_reference() -> None:
    """Reference files saved by an admin in any app process are in force here too."""
    from analytics.services import refdata

    try:
        refdata.sync_folder(_store())
    except Exception:  # noqa: BLE001 - the files in the folder stay in force
        log.exception("reference data sync failed")


def gate(lang: str, keep_the_page: Callable[[], None] = lambda: None) -> User:
    """The acting user of this session; shows the sign-in page and stops the script until there
    is one (`keep_the_page` is called before stopping: the app declares its pages there)."""
    if mode() == "demo":
        if not _served_locally():
            address = st.get_option("server.address") or "0.0.0.0"
            key = "auth.demo_refused_proxy" if address in LOOPBACK else "auth.demo_refused_remote"
            st.error(t(key, lang, address=address))
            st.stop()
        st.session_state[SESSION_KEY] = DEMO
        st.sidebar.markdown(":orange-background[" + t("auth.demo_banner", lang) + "]")
        _sync_reference()
        return DEMO
    user = st.session_state.get(SESSION_KEY)
    if user is not None and user.demo:
        user = None
    if user is not None:
        user = _refresh(user)
    if user is None and _oidc_section() is not None and st.user.is_logged_in:
        user = _from_oidc(lang)
    if user is None:
        st.session_state.pop(SESSION_KEY, None)
        page = st.empty()
        with page.container():
            user = _form(lang)
        if user is None:
            keep_the_page()
            st.stop()
        page.empty()  # signed in: the page replaces the form in this same run
    st.session_state[SESSION_KEY] = user
    _sidebar(user, lang)
    _sync_reference()
    return user
