"""The command line: the same code paths as the app, one sub-command per task of the spec.

Each sub-command's work lives in the module that owns it (`cli_validate` in analytics.register.checking,
…); this file only declares the arguments. Exit statuses follow the spec.
"""

import argparse
import importlib
import sys

from analytics.i18n import languages

# command -> (module, function, help). The function takes the parsed arguments, returns the status.
COMMANDS = {
    "validate": (
        "analytics.register.checking",
        "cli_validate",
        "read and validate a workbook, print every error and warning",
    ),
    "ingest": (
        "analytics.services.ingest_cli",
        "cli_ingest",
        "validate a workbook and commit it as the region's new version",
    ),
    "indicators": ("analytics.indicators.cli", "cli_indicators", "print the indicator table"),
    "template": (
        "analytics.register.template",
        "cli_template",
        "write the blank workbook template",
    ),
    "export": ("analytics.board.exports", "cli_export", "write the board deck (PowerPoint or PDF)"),
    "summary": (
        "analytics.board.story_cli",
        "cli_summary",
        "print what changed against the previous period, in sentences",
    ),
    "review": (
        "analytics.services.review_cli",
        "cli_review",
        "approve a region's version, or return it with a comment",
    ),
    "remind": (
        "analytics.services.remind",
        "cli_remind",
        "e-mail the focal points of the regions late for a reporting period",
    ),
    "agreement-sheet": (
        "analytics.board.agreement_sheet_cli",
        "cli_agreement_sheet",
        "write the one-page accountability sheet of an agreement (PDF)",
    ),
    "users": (
        "analytics.accounts.cli",
        "cli_users",
        "add, disable, enable, reset or list the app's users",
    ),
}


class _Parser(argparse.ArgumentParser):
    def error(
        self, message
    ):  # bad usage is exit status 2, with a one-line message, never a traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    lang = {"choices": languages(), "default": "en", "help": "language of the messages"}

    p = sub.add_parser("validate", help=COMMANDS["validate"][2])
    p.add_argument("path")
    p.add_argument("--region", help="region code the workbook is submitted for")
    p.add_argument("--lang", **lang)
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("ingest", help=COMMANDS["ingest"][2])
    p.add_argument("path")
    p.add_argument("--region", required=True)
    p.add_argument(
        "--db", help="SQLAlchemy URL of the store (default: DATABASE_URL, else the embedded file)"
    )
    p.add_argument("--yes", action="store_true", help="commit without asking")
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="commit a register with no partner and no contribution (empties the region)",
    )
    p.add_argument(
        "--reason",
        default=None,
        help="why the upload removes rows (required when it does; one line, at most 200 "
        "characters), kept with the version",
    )
    p.add_argument(
        "--user",
        default=None,
        help="a name recorded as 'given as NAME' in the audit trail; the command acts as the "
        "operating-system user (its account in the users file, if there is one)",
    )
    p.add_argument("--lang", **lang)

    p = sub.add_parser("indicators", help=COMMANDS["indicators"][2])
    p.add_argument("--db")
    p.add_argument("--year", type=int)
    p.add_argument("--by", default="", help="comma-separated: region,partnership_type")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument(
        "--approved",
        action="store_true",
        help="count each region's latest approved version (default: its latest version)",
    )

    p = sub.add_parser("template", help=COMMANDS["template"][2])
    p.add_argument("out")
    p.add_argument("--lang", **lang)

    p = sub.add_parser("export", help=COMMANDS["export"][2])
    p.add_argument("out")
    p.add_argument("--db")
    p.add_argument("--year", type=int)
    p.add_argument("--region")
    p.add_argument("--lang", **lang)
    p.add_argument(
        "--approved",
        action="store_true",
        help="count each region's latest approved version (default: its latest version)",
    )

    p = sub.add_parser("review", help=COMMANDS["review"][2])
    p.add_argument("--region", required=True)
    p.add_argument("--version", type=int, help="version number (default: the current one)")
    decision = p.add_mutually_exclusive_group(required=True)
    decision.add_argument("--approve", action="store_true", help="approve the version")
    decision.add_argument(
        "--return",
        dest="return_comment",
        metavar="COMMENT",
        help="return the version to its region with this comment",
    )
    p.add_argument(
        "--user",
        required=True,
        help="the reviewer's name, recorded as 'given as NAME' in the audit trail; the command "
        "acts as the operating-system user (its account in the users file, if there is one)",
    )
    p.add_argument("--db")
    p.add_argument("--lang", **lang)

    p = sub.add_parser("remind", help=COMMANDS["remind"][2])
    p.add_argument(
        "--period", help="reporting period code (default: the latest one past its due date)"
    )
    p.add_argument("--dry-run", action="store_true", help="print the e-mails instead of sending")
    p.add_argument("--db")
    p.add_argument("--lang", **lang)

    p = sub.add_parser("summary", help=COMMANDS["summary"][2])
    p.add_argument("--db")
    p.add_argument("--year", type=int)
    p.add_argument("--region")
    p.add_argument("--lang", **lang)
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("agreement-sheet", help=COMMANDS["agreement-sheet"][2])
    p.add_argument("agreement_id", metavar="AGREEMENT_ID")
    p.add_argument("out", metavar="OUT.pdf")
    p.add_argument("--region", help="the agreement's region (needed when its ID is in several)")
    p.add_argument("--lang", **lang)
    p.add_argument("--db")
    p.add_argument(
        "--approved",
        action="store_true",
        help="read each region's latest approved version (default: its latest version)",
    )

    from analytics.accounts.cli import add_cli_arguments

    add_cli_arguments(sub, COMMANDS["users"][2])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module, function, _ = COMMANDS[args.command]
    try:
        handler = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        print(f"'{args.command}' is not available in this version.", file=sys.stderr)
        return 2
    try:
        return handler(args)
    except Exception as exc:
        # Imported here, not at the top: it brings pandas, which `users` and `--help` never need.
        from analytics.reference.refcheck import ReferenceDataError

        if not isinstance(exc, ReferenceDataError):
            raise
        # A damaged reference file is unusable input (2), not "errors found" (1).
        print(f"error: {exc.message(getattr(args, 'lang', None) or 'en')}", file=sys.stderr)
        return 2
