"""`python -m analytics review --region CODE (--approve | --return COMMENT) --user NAME`: the review
service (analytics.services.review) on the command line.

As `ingest`, the command acts as the operating-system account (accounts.cli.command_line_user):
`--user NAME` is recorded as "given as NAME", never acted as; with a users file it must name an
enabled account, so that a reviewer who does not exist is refused.
"""

import sys

from analytics.access.roles import Refused
from analytics.i18n import t
from analytics.services.review import APPROVED, RETURNED, ReviewError, review
from analytics.store.engine import ReadOnlyStore
from analytics.store.versions import open_store


def cli_review(args) -> int:
    """0 done, 1 refused (not allowed, own upload, no such version, bad comment), 2 usage."""
    from analytics.accounts.cli import acting_user_or_say
    from analytics.accounts.users import load_accounts, users_path

    lang = args.lang
    given = (args.user or "").strip()
    if not given:
        print(t("review.no_reviewer", lang, name="''"), file=sys.stderr)
        return 2
    user = acting_user_or_say(lang)
    if user is None:
        return 1
    if users_path().exists():
        account = load_accounts().get(given.lower())
        if account is None or account.disabled:
            print(t("review.no_reviewer", lang, name=given), file=sys.stderr)
            return 1
    try:
        store = open_store(args.db)
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server is a usage problem
        print(t("ingest.store_unavailable", lang, detail=str(exc).splitlines()[0]), file=sys.stderr)
        return 2
    decision = APPROVED if args.approve else RETURNED
    region = args.region.strip().upper()
    try:
        done = review(
            store,
            region,
            decision,
            user=user,
            comment=args.return_comment or "",
            number=args.version,
            given_as=given if given.lower() != user.name.lower() else None,
        )
        number = store.version(done.version_id).number
    except Refused as refused:
        print(refused.message(lang), file=sys.stderr)
        return 1
    except ReviewError as error:
        print(error.message(lang), file=sys.stderr)
        return 1
    except ReadOnlyStore as read_only:
        print(read_only.message(lang), file=sys.stderr)
        return 2
    finally:
        store.close()
    print(t(f"review.cli_{decision}", lang, region=region, number=number, who=user.name))
    return 0
