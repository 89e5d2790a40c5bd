"""The command line's side of accounts: who a command acts as, and the `users` command.

Sub-commands add, disable, enable, reset and list edit the users file (analytics.accounts.users)
and record each change in the store's audit trail.
"""

import getpass
import os
import sys
from pathlib import Path

from analytics.access.roles import ADMIN, ROLES, User
from analytics.accounts.users import (
    UsersError,
    add_user,
    disable_user,
    load_accounts,
    reset_password,
    set_language,
    users_path,
)
from analytics.config import setting
from analytics.i18n import languages, t

# --- the command line's acting user ------------------------------------------------------------


def os_login() -> str:
    """The operating-system account running this process (its effective user id's name).

    Not getpass.getuser(): it believes LOGNAME and USER, so anyone could name themselves an admin.
    """
    try:
        import pwd
    except ImportError:  # Windows: no user database to ask
        return getpass.getuser()
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a user id without a name (some containers)
        return f"uid-{os.geteuid()}"


def command_line_user(path: Path | None = None) -> User:
    """Who a command acts as: the operating-system account, with its role and regions.

    With a users file, the account must be an enabled user of it (else UsersError). Without one
    (demo or embedded use, PARTNERSHIPS_AUTH auto or demo), it is an admin of that name: whoever
    runs commands on the server can already change the store's file.
    """
    login = os_login()
    path = path or users_path()
    if not path.exists():
        if setting("PARTNERSHIPS_AUTH").strip().lower() in ("password", "oidc"):
            raise UsersError("cli_no_users_file", path=str(path))
        return User(name=login, role=ADMIN)
    account = load_accounts(path).get(login.strip().lower())
    if account is None or account.disabled:
        raise UsersError("cli_no_account", name=login, path=str(path))
    return account.user()


# --- command line ----------------------------------------------------------------------------


def acting_user_or_say(lang: str) -> User | None:
    """The operating-system account a command acts as (command_line_user), or None after saying,
    in `lang`, why there is none (the command then exits 1)."""
    try:
        return command_line_user()
    except UsersError as exc:
        print(t(f"users.{exc.code}", lang, **exc.values), file=sys.stderr)
        return None


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsersError("no_terminal")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise UsersError("passwords_differ")
    return first


def _audit_user_change(args, action: str, name: str, values: dict) -> None:
    """Record a user change in the store's audit trail; the file change stands even if the store is down."""
    from analytics.store import audit
    from analytics.store.versions import open_store

    try:
        store = open_store(getattr(args, "db", None))
    except Exception:  # noqa: BLE001 - the users file is the authority; the trail is best effort here
        print(
            "note: the store could not be opened; this change is not in the audit trail",
            file=sys.stderr,
        )
        return
    try:
        audit.record(
            store,
            f"cli:{os_login()}",
            audit.USER_CHANGE,
            subject=name,
            detail=audit.detail(f"user_{action}", **values),
        )
    finally:
        store.close()


def cli_users(args) -> int:
    """`users add|disable|enable|reset|list`: 0 done, 2 refused (with a one-line reason)."""
    path = Path(args.file) if args.file else users_path()
    try:
        if args.action == "list":
            for a in sorted(load_accounts(path).values(), key=lambda a: a.name):
                state = "disabled" if a.disabled else "enabled"
                login = "password" if a.password_hash else "oidc only"
                print(
                    f"{a.name}\t{a.role}\t{','.join(a.regions) or '-'}\t{a.email or '-'}\t{a.lang}\t{state}\t{login}"
                )
            return 0
        if args.action == "add":
            # Only `add` needs the regions (reference data, and with it pandas).
            from analytics.reference.load import load_reference

            password = None if args.oidc_only else _read_password(args)
            regions = [r for chunk in args.region or [] for r in chunk.split(",")]
            account = add_user(
                args.name,
                args.role,
                password,
                regions=regions,
                email=args.email or "",
                lang=args.user_lang,
                known_regions=load_reference().region_codes,
                path=path,
            )
            values = {"role": account.role, "regions": ",".join(account.regions) or "-"}
        elif args.action == "set-lang":
            account = set_language(args.name, args.user_lang, path=path)
            values = {"lang": account.lang}
        elif args.action in ("disable", "enable"):
            account = disable_user(args.name, path=path, disabled=args.action == "disable")
            values = {}
        else:  # reset
            account = reset_password(args.name, _read_password(args), path=path)
            values = {}
    except UsersError as exc:
        print(
            f"users {args.action}: {t('users.' + exc.code, args.lang, **exc.values)}",
            file=sys.stderr,
        )
        return 2
    _audit_user_change(args, args.action, account.name, values)
    done = t(f"users.done_{args.action}", args.lang, **values)
    print(f"users {args.action}: {account.name} ({done}) in {path}")
    return 0


def add_cli_arguments(sub, help_text: str) -> None:
    """The `users` sub-command's arguments (called by analytics.cli)."""
    p = sub.add_parser("users", help=help_text)
    p.add_argument(
        "--file", help="users file (default: PARTNERSHIPS_USERS_FILE, else var/users.toml)"
    )
    p.add_argument(
        "--db", help="store whose audit trail records the change (default: DATABASE_URL)"
    )
    p.add_argument("--lang", choices=languages(), default="en", help="language of the messages")
    actions = p.add_subparsers(dest="action", required=True)  # same parser class: bad usage exits 2
    add = actions.add_parser(
        "add", help="add a user (the password is asked, never given on the command line)"
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--region",
        action="append",
        help="region code(s) of a focal point, or of a director who reviews those only "
        "(repeat or comma-separate)",
    )
    add.add_argument("--email", help="e-mail, to map an OpenID Connect sign-in to this user")
    add.add_argument(
        "--lang",
        dest="user_lang",
        choices=languages(),
        default="en",
        help="the user's language, for the e-mails they receive (reminders)",
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument(
        "--oidc-only", action="store_true", help="no password: signs in through OpenID Connect only"
    )
    for action, text in (
        ("disable", "forbid a user to sign in"),
        ("enable", "allow a disabled user again"),
    ):
        actions.add_parser(action, help=text).add_argument("name")
    reset = actions.add_parser("reset", help="set a new password")
    reset.add_argument("name")
    reset.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    set_lang = actions.add_parser("set-lang", help="set the language of a user's e-mails")
    set_lang.add_argument("name")
    set_lang.add_argument("user_lang", choices=languages(), metavar="LANG")
    actions.add_parser("list", help="list the users (never the hashes)")
