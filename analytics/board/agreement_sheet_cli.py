"""`python -m analytics agreement-sheet AGREEMENT_ID OUT.pdf [--region] [--lang] [--db]
[--approved]`: the accountability sheet of one agreement (analytics.board.agreement_sheet) written as its one-page
PDF (analytics.board.agreement_sheet_pdf), from each region's latest version or, with
`--approved`, its latest approved one (as `indicators --approved` counts). Exit statuses: 0 written, 1 no such agreement (or an
ID in several regions without --region), 2 bad usage (OUT not a .pdf, an unreadable store, an
unwritable path).
"""

import sys
from datetime import date
from pathlib import Path

from analytics.board.agreement_sheet import NoSuchAgreement, sheet_from_store
from analytics.board.agreement_sheet_pdf import write_pdf
from analytics.i18n import t
from analytics.reference.refcheck import ReferenceDataError


def cli_agreement_sheet(args) -> int:
    """`python -m analytics agreement-sheet AGREEMENT_ID OUT.pdf [--region] [--lang] [--db]
    [--approved]`."""
    lang = getattr(args, "lang", "en") or "en"
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        print(f"error: {t('agreement_sheet.extension', lang, name=out.name)}", file=sys.stderr)
        return 2
    try:
        approved = bool(getattr(args, "approved", False))
        sheet = sheet_from_store(
            args.db, args.agreement_id, args.region, lang, date.today(), approved
        )
    except NoSuchAgreement as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ReferenceDataError:
        raise  # said by python -m analytics (exit 2)
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server: one line
        print(f"error: {t('board.errors.store', lang, reason=exc)}", file=sys.stderr)
        return 2
    try:
        out.write_bytes(write_pdf(sheet))
    except OSError as exc:
        reason = exc.strerror or exc
        print(
            f"error: {t('board.errors.unwritable', lang, path=out, reason=reason)}", file=sys.stderr
        )
        return 2
    print(f"{out} ({sheet.region} {sheet.agreement_id})")
    return 0
