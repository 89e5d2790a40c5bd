"""`python -m analytics ingest PATH --region CODE`: the ingest service (analytics.services.ingest)
on the command line, with the change shown and a confirmation asked before the commit.
"""

import sys
from pathlib import Path

from analytics.access.roles import Refused
from analytics.i18n import t
from analytics.reference.load import load_reference, normalise
from analytics.services.ingest import (
    MAX_REASON,
    REJECTED,
    UNREADABLE,
    commit,
    prepare,
    reason_refused,
)
from analytics.store.engine import ReadOnlyStore
from analytics.store.records import StaleRegister, Version
from analytics.store.versions import open_store


def _ask(question: str, lang: str) -> bool:
    """A yes in the user's language (its `parsing.yes_words`, as a workbook's yes is read), or
    in English."""
    try:
        answer = input(question + " ")
    except EOFError:
        return False
    words = ",".join(t("parsing.yes_words", x) for x in {lang, "en"})
    return normalise(answer) in {normalise(w) for w in words.split(",") if w.strip()}


def cli_ingest(args) -> int:
    """`ingest PATH --region CODE`: 0 committed or identical, 1 errors found or refused, 2 unreadable/usage.

    The command acts as the operating-system account (accounts.cli.command_line_user); `--user NAME` is
    only recorded, as "given as NAME".
    """
    from analytics.accounts.cli import acting_user_or_say
    from analytics.config import limits
    from analytics.register.messages import format_text
    from analytics.register.parsing import decimal_separator
    from analytics.register.reading import load_workbook
    from analytics.store.changes import change_lines
    from analytics.store.removals import removed_text

    lang = args.lang
    reference = load_reference()
    region = args.region.strip().upper()
    if region not in reference.region_codes:
        allowed = ", ".join(reference.region_codes)
        print(t("errors.unknown_region", lang, value=args.region, allowed=allowed), file=sys.stderr)
        return 2
    path = Path(args.path)
    if not path.is_file():
        print(t("errors.unreadable", lang, detail=f"{args.path}: not found"), file=sys.stderr)
        return 2
    if path.stat().st_size > limits().max_upload_bytes:
        # Refused before reading it into memory (and so not kept): too large to be a register.
        result = load_workbook(path, region=region, decimal=decimal_separator(lang))
        print(format_text(result.report, lang, args.path), file=sys.stderr)
        return 2
    user = acting_user_or_say(lang)
    if user is None:
        return 1
    uploader, given_as = user.name, (args.user or "").strip() or None
    try:
        store = open_store(args.db)
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server is a usage problem
        print(t("ingest.store_unavailable", lang, detail=str(exc).splitlines()[0]), file=sys.stderr)
        return 2
    try:
        try:
            prepared = prepare(
                store,
                path.read_bytes(),
                path.name,
                region,
                uploader,
                decimal=decimal_separator(lang),
                reference=reference,
                user=user,
                given_as=given_as,
            )
        except Refused as refused:  # not this user's region (audited)
            print(refused.message(lang), file=sys.stderr)
            return 1
        except ReadOnlyStore as read_only:  # nothing can be kept, not even the file
            print(read_only.message(lang), file=sys.stderr)
            return 2
        print(format_text(prepared.report, lang, args.path, prepared.register))
        if prepared.status == UNREADABLE:
            return 2
        if prepared.status == REJECTED:
            return 1
        if prepared.identical:
            print(t("ingest.identical", lang, region=region, number=prepared.current.number))
            return 0
        print()
        print("\n".join(change_lines(prepared, lang, reference=reference)))
        allow_empty = bool(getattr(args, "allow_empty", False))
        if prepared.empty and not allow_empty:
            print(t("ingest.empty_needs_flag", lang, region=region), file=sys.stderr)
            return 1
        reason = getattr(args, "reason", None)
        refused = reason_refused(prepared, reason)
        if refused:
            # Said before any confirmation is asked: nothing is stored without the reason. The
            # command's own wording (reason_cli_…) names its --reason option.
            code = refused.replace("reason_", "reason_cli_", 1)
            print(
                t(
                    f"removals.{code}",
                    lang,
                    rows=removed_text(prepared.removed, lang),
                    limit=MAX_REASON,
                ),
                file=sys.stderr,
            )
            return 2
        if not args.yes:
            if not sys.stdin.isatty():
                print(t("ingest.no_terminal", lang), file=sys.stderr)
                return 2
            question = t("ingest.confirm", lang, region=region, number=prepared.expected_number + 1)
            if not _ask(question, lang):
                print(t("ingest.declined", lang))
                return 2
        try:
            version = commit(
                store,
                prepared,
                uploader,
                user=user,
                given_as=given_as,
                empty_confirmed=allow_empty,
                reason=reason,
                require_reason=True,
            )
        except StaleRegister as exc:
            print(
                t("ingest.stale_cli", lang, region=region, number=_number(exc.current)),
                file=sys.stderr,
            )
            return 2
        except Exception as exc:  # noqa: BLE001 - the database refused: say so, the old version stays
            print(t("ingest.failed", lang, detail=str(exc).splitlines()[0]), file=sys.stderr)
            return 2
        print(t("ingest.committed", lang, region=region, number=version.number))
        return 0
    finally:
        store.close()


def _number(version: Version | None) -> int:
    return version.number if version else 0
