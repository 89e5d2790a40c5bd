"""The accountability sheet of one agreement: who, what, its reports and the money, as of a date.

`build_sheet` gathers it from the frames `Store.load_current` and `Store.load_follow_up` give
(each with `region`), every value already written in the user's language, so that the agreements
page shows it and `write_pdf` (analytics.board.agreement_sheet_pdf) prints it on one A4 page.
`sheet_from_store` reads it for `python -m analytics agreement-sheet`
(analytics.board.agreement_sheet_cli).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, t
from analytics.indicators import follow_up_lists as lists
from analytics.reference.load import Reference
from analytics.store.changes import field_label

REPORT_COLUMNS = ("kind", "period", "due_date", "submitted_on", "approved_on", "sent_on", "state")
CONTRIBUTION_COLUMNS = ("date", "amount", "currency", "usd", "status")


class NoSuchAgreement(LookupError):
    """No agreement with that id (in that region), or one in several regions: exit status 1."""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.header))


@dataclass(frozen=True)
class Sheet:
    """One agreement's accountability sheet, every value as text in `lang`."""

    lang: str
    region: str
    agreement_id: str
    title: str
    heading: str  # "Accountability sheet: <title>"
    partner: tuple[tuple[str, str], ...]  # (label, value) pairs
    agreement: tuple[tuple[str, str], ...]
    reports: Table
    contributions: Table
    received_share: float | None  # received USD / committed USD; None without a committed amount
    money_line: str  # "Received $12,000 of $50,000 committed (24.0%)"
    as_of: str  # "As of 7 Dec 2026, data version 3 of region RBD"

    @property
    def file_name(self) -> str:
        return f"agreement-{self.region}-{self.agreement_id}-{self.lang}.pdf"


def parse_ref(ref: str | None) -> tuple[str | None, str] | None:
    """`RBD:A-01` -> ("RBD", "A-01"); `A-01` -> (None, "A-01"); nothing -> None (an agreement
    id never holds ':', the same pattern as partner_id)."""
    text = str(ref or "").strip()
    if not text:
        return None
    region, sep, agreement_id = text.rpartition(":")
    return (region.upper() or None, agreement_id) if sep and agreement_id else (None, text)


def agreement_refs(agreements: pd.DataFrame, region: str | None) -> dict[str, str]:
    """`REGION:ID` -> title of every agreement (of one region), in the order of a list."""
    shown = agreements if region is None else agreements[agreements["region"] == region]
    shown = shown.sort_values(["region", "agreement_id"])
    refs = [f"{r}:{a}" for r, a in zip(shown["region"], shown["agreement_id"], strict=True)]
    return dict(zip(refs, shown["title"].astype(str), strict=True))


def match_ref(refs: list[str], chosen: tuple[str | None, str] | None) -> str | None:
    """The one ref of `refs` a link's (region or None, id) names; None for none or several."""
    if not chosen:
        return None
    region, agreement_id = chosen
    found = [
        r
        for r in refs
        if r.endswith(f":{agreement_id}") and (region is None or r.startswith(f"{region}:"))
    ]
    return found[0] if len(found) == 1 else None


def find_agreement(
    agreements: pd.DataFrame,
    agreement_id: str,
    region: str | None,
    lang: str,
    approved: bool = False,
):
    """The agreement's row; NoSuchAgreement, saying which, when there is none or several
    (`approved`: the frames are the approved versions', and the message says so)."""
    rows = agreements[agreements["agreement_id"] == agreement_id]
    if region is not None:
        rows = rows[rows["region"] == region.upper()]
    if rows.empty:
        where = t("agreement_sheet.in_region", lang, region=region.upper()) if region else ""
        key = "agreement_sheet.not_found_approved" if approved else "agreement_sheet.not_found"
        raise NoSuchAgreement(t(key, lang, id=agreement_id, where=where))
    if len(rows) > 1:
        regions = ", ".join(sorted(rows["region"].astype(str)))
        raise NoSuchAgreement(
            t("agreement_sheet.several_regions", lang, id=agreement_id, regions=regions)
        )
    return rows.iloc[0]


def report_state(due, submitted, today: date, lang: str) -> str:
    """On time, late by N days (submitted after its due date), overdue by N days (due before
    today, not submitted: as the overdue list counts it), or not yet due."""
    due = pd.Timestamp(due)
    if pd.notna(submitted):
        days = (pd.Timestamp(submitted) - due).days
        if days <= 0:
            return t("agreement_sheet.on_time", lang)
        return t("agreement_sheet.late", lang, count=days, days=fmt_number(days, lang))
    days = (pd.Timestamp(today) - due).days
    if days > 0:
        return t("agreement_sheet.overdue", lang, count=days, days=fmt_number(days, lang))
    return t("agreement_sheet.not_yet_due", lang)


def _date(value, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else fmt_date(pd.Timestamp(value), lang)


def _period(kind: str, due, previous, agreement, lang: str) -> str:
    """What a report covers: from the agreement's start, or the day after the due date of the
    previous report of the same kind, to its due date; a final report covers the agreement."""
    if kind == "final":
        return f"{_date(agreement['start_date'], lang)} – {_date(agreement['end_date'], lang)}"
    begin = agreement["start_date"] if previous is None else previous + pd.Timedelta(days=1)
    return f"{_date(begin, lang)} – {_date(due, lang)}"


def _header(names, lang: str) -> tuple[str, ...]:
    special = {"period", "state", "usd"}
    return tuple(
        t(f"agreement_sheet.{n}", lang) if n in special else field_label(n, lang) for n in names
    )


def _reports(mine: pd.DataFrame, agreement, reference: Reference, today: date, lang: str) -> Table:
    rows, previous = [], {}
    for r in mine.sort_values(["due_date", "report_id"]).itertuples(index=False):
        rows.append(
            (
                reference.label("report_kind", r.kind, lang),
                _period(r.kind, r.due_date, previous.get(r.kind), agreement, lang),
                _date(r.due_date, lang),
                _date(r.submitted_on, lang),
                _date(r.approved_on, lang),
                _date(r.sent_on, lang),
                report_state(r.due_date, r.submitted_on, today, lang),
            )
        )
        previous[r.kind] = r.due_date
    return Table(_header(REPORT_COLUMNS, lang), tuple(rows))


def _contributions(mine: pd.DataFrame, reference: Reference, lang: str) -> Table:
    mine = mine.sort_values(["date", "contribution_id"])
    usd = mine["amount"].to_numpy(float) * reference.usd_per_unit(
        mine["currency"], mine["date"].dt.year.to_numpy(float)
    )
    rows = tuple(
        (
            _date(c.date, lang),
            fmt_number(c.amount, lang, digits=2),
            str(c.currency),
            fmt_money(u, lang, compact=False),
            reference.label("status", c.status, lang),
        )
        for c, u in zip(mine.itertuples(index=False), usd, strict=True)
    )
    return Table(_header(CONTRIBUTION_COLUMNS, lang), rows)


def _text(value) -> str:
    return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def build_sheet(
    partners: pd.DataFrame,
    contributions: pd.DataFrame,
    agreements: pd.DataFrame,
    reports: pd.DataFrame,
    reference: Reference,
    agreement_id: str,
    region: str | None,
    lang: str,
    today: date,
    versions: dict | None = None,
    approved: bool = False,
) -> Sheet:
    """The sheet of one agreement (NoSuchAgreement when there is none, or several without a
    region); `versions`: region -> its counted Version (Store.current_versions, or
    approved_versions with `approved`), for the as-of line."""
    a = find_agreement(agreements, agreement_id, region, lang, approved)
    region = str(a["region"])
    p = partners[(partners["region"] == region) & (partners["partner_id"] == a["partner_id"])]
    p = p.iloc[0] if len(p) else pd.Series(dtype=object)
    partner = (
        (field_label("partner_name", lang), _text(p.get("partner_name"))),
        (field_label("partner_id", lang), _text(a["partner_id"])),
        (field_label("region", lang), reference.region_name(region, lang)),
        (field_label("category", lang), _code(reference, "category", p.get("category"), lang)),
        (
            field_label("partnership_type", lang),
            _code(reference, "partnership_type", p.get("partnership_type"), lang),
        ),
    )
    this = agreements[
        (agreements["region"] == region) & (agreements["agreement_id"] == agreement_id)
    ]
    if pd.isna(a["amount"]):  # nothing committed: the list still sums what was received under it
        this = this.assign(amount=0.0, currency="USD")
    money = lists.committed_vs_received(partners, this, contributions, reference, today, region)
    committed = float(money["committed_usd"].iloc[0]) if len(money) else np.nan
    received = float(money["received_usd"].iloc[0]) if len(money) else 0.0
    share = money["received_share"].iloc[0] if len(money) else np.nan
    share = None if pd.isna(share) else float(share)
    amount = (
        "—"
        if pd.isna(a["amount"])
        else t(
            "agreement_sheet.amount",
            lang,
            amount=fmt_number(a["amount"], lang, digits=2),
            currency=a["currency"],
            usd=_usd(committed, lang),
        )
    )
    agreement = (
        (field_label("agreement_id", lang), agreement_id),
        (field_label("title", lang), _text(a["title"])),
        (field_label("status", lang), reference.label("agreement_status", a["status"], lang)),
        (field_label("officer", lang), _text(a["officer"])),
        (field_label("signed_by", lang), _text(a.get("signed_by"))),
        (field_label("signed_on", lang), _date(a["signed_on"], lang)),
        (
            t("agreement_sheet.runs", lang),
            f"{_date(a['start_date'], lang)} – {_date(a['end_date'], lang)}",
        ),
        (t("agreement_sheet.committed", lang), amount),
    )
    mine = reports[(reports["region"] == region) & (reports["agreement_id"] == agreement_id)]
    under = contributions[
        (contributions["region"] == region) & (contributions["agreement_id"] == agreement_id)
    ]
    if share is None:
        money_line = t("agreement_sheet.received_only", lang, received=_usd(received, lang))
    else:
        money_line = t(
            "agreement_sheet.received",
            lang,
            received=_usd(received, lang),
            committed=_usd(committed, lang),
            share=fmt_percent(share, lang),
        )
    version = (versions or {}).get(region)
    as_of = t(
        "agreement_sheet.as_of",
        lang,
        date=fmt_date(today, lang),
        version=version.number if version is not None else "—",
        region=region,
    )
    return Sheet(
        lang=lang,
        region=region,
        agreement_id=agreement_id,
        title=_text(a["title"]),
        heading=t("agreement_sheet.heading", lang, title=_text(a["title"])),
        partner=partner,
        agreement=agreement,
        reports=_reports(mine, a, reference, today, lang),
        contributions=_contributions(under, reference, lang),
        received_share=share,
        money_line=money_line,
        as_of=as_of,
    )


def _code(reference: Reference, codelist: str, code, lang: str) -> str:
    return "—" if code is None or pd.isna(code) else reference.label(codelist, str(code), lang)


def _usd(value: float, lang: str) -> str:
    return fmt_money(value, lang, compact=False)


def sheet_from_store(
    db_url: str | None,
    agreement_id: str,
    region: str | None,
    lang: str,
    today: date,
    approved: bool = False,
) -> Sheet:
    """The sheet from the store's current versions (the command line's path), or from each
    region's latest approved version (`approved`: `--approved`, as `indicators` and `export`
    count them, through the same store.reviews functions as the app's switch)."""
    from analytics.reference.load import load_reference
    from analytics.store.reviews import approved_versions, load_approved, load_approved_follow_up
    from analytics.store.versions import open_store

    store = open_store(db_url)
    try:
        if approved:
            partners, contributions = load_approved(store)
            agreements, reports = load_approved_follow_up(store)
            versions = approved_versions(store.engine)
        else:
            partners, contributions = store.load_current()
            agreements, reports = store.load_follow_up()
            versions = store.current_versions()
    finally:
        store.close()
    if agreements.empty:
        agreements = agreements.reindex(columns=["region", "agreement_id"])
    frames = (partners, contributions, agreements, reports)
    return build_sheet(
        *frames, load_reference(), agreement_id, region, lang, today, versions, approved
    )
