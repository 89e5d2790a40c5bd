"""A change (analytics.store.diff) shown to people: tables for the upload page, lines for the terminal."""

import math

import pandas as pd

from analytics.i18n import fmt_date, fmt_money, fmt_number, has, labelled, t
from analytics.reference.load import load_reference
from analytics.store.diff import LABELS, Change, SheetChange
from analytics.store.history import uploader_name
from analytics.store.tables import KEYS, KINDS, MODELS
from schemas import columns_of

# The columns that identify an added or removed row in a preview, per sheet.
PREVIEW_COLUMNS = {
    "partners": ["partner_id", "partner_name", "category", "partnership_type", "stage"],
    "contributions": ["contribution_id", "partner_id", "date", "status", "amount", "currency"],
    "agreements": ["agreement_id", "partner_id", "title", "status", "end_date", "officer"],
    "reports": ["report_id", "agreement_id", "kind", "due_date", "submitted_on"],
}
# What names a row added or removed in the terminal, after its id.
LINE_LABELS = {"partners": "partner_name", "agreements": "title", "reports": "agreement_id"}
KINDS_OF_CHANGE = ("added", "changed", "removed")


def _missing(value) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


# sheet -> {column: code list} for the columns whose codes are shown as labels.
CODELISTS = {
    sheet: {
        c.name: c.codelist for c in columns_of(model) if c.kind == "code" and c.codelist != "region"
    }
    for sheet, model in MODELS.items()
}


def value_text(value, kind: str, lang: str, codelist: str | None = None) -> str:
    """A stored value as the user would type it: dates, yes/no, amounts and codes in their language."""
    if _missing(value):
        return t("change.empty", lang)
    if codelist:
        return load_reference().label(codelist, str(value), lang)
    if kind == "date":
        return fmt_date(pd.Timestamp(value), lang)
    if kind == "bool":
        return t("change.yes" if bool(value) else "change.no", lang)
    if kind == "number":
        return fmt_number(value, lang, digits=2)
    return str(value)


def field_label(name: str, lang: str) -> str:
    """A column's name in the user's language (the extra columns together as one field)."""
    if name == "extra":
        return t("change.extra_columns", lang)
    return t(f"columns.{name}", lang) if has(f"columns.{name}", lang) else name


def _kind(sheet: str, name: str) -> str:
    return KINDS[sheet].get(name, "text")


def _text(value, sheet: str, name: str, lang: str) -> str:
    return value_text(value, _kind(sheet, name), lang, CODELISTS[sheet].get(name))


def rows_frame(
    frame: pd.DataFrame, sheet: str, lang: str, limit: int | None = None
) -> pd.DataFrame:
    """Added or removed rows, a few identifying columns, values and headers in the user's language."""
    rows = frame.head(limit) if limit else frame
    return pd.DataFrame(
        {
            field_label(name, lang): [_text(v, sheet, name, lang) for v in rows[name]]
            for name in PREVIEW_COLUMNS[sheet]
        }
    )


def changed_frame(
    change: SheetChange, sheet: str, lang: str, limit: int | None = None
) -> pd.DataFrame:
    """One line per changed field: the row's id and name, the field, the old and the new value."""
    rows = change.changed.head(limit) if limit else change.changed
    label = LABELS[sheet]
    return pd.DataFrame(
        {
            field_label(KEYS[sheet], lang): rows["id"].astype(str).tolist(),
            field_label(label, lang): [value_text(v, "text", lang) for v in rows["label"]],
            t("change.field", lang): [field_label(f, lang) for f in rows["field"]],
            t("change.old", lang): [
                _text(v, sheet, f, lang) for v, f in zip(rows["old"], rows["field"], strict=True)
            ],
            t("change.new", lang): [
                _text(v, sheet, f, lang) for v, f in zip(rows["new"], rows["field"], strict=True)
            ],
        }
    )


def counts_frame(change: Change, lang: str) -> pd.DataFrame:
    """Rows added, changed and removed per sheet, as a small table."""
    return pd.DataFrame(
        {
            t("change.sheet", lang): [t(f"change.{s}", lang) for s in change.sheets],
            **{
                t(f"change.{k}", lang): [change.sheet(s).counts()[k] for s in change.sheets]
                for k in KINDS_OF_CHANGE
            },
        }
    )


def totals_text(change: Change, lang: str) -> str:
    """Total of the contributions in USD, before → after."""
    text = t(
        "change.totals",
        lang,
        before=fmt_money(change.usd_before, lang, compact=False),
        after=fmt_money(change.usd_after, lang, compact=False),
    )
    if change.unpriced_before or change.unpriced_after:
        text += " " + t(
            "change.unpriced", lang, before=change.unpriced_before, after=change.unpriced_after
        )
    return text


def change_lines(prepared, lang: str, reference=None, limit: int = 20) -> list[str]:
    """The change of a prepared upload as lines for a terminal (at most `limit` rows per list)."""
    change: Change = prepared.change
    current = prepared.current
    if current is None:
        lines = [t("change.first_version", lang, region=prepared.region)]
    else:
        lines = [
            t(
                "change.against",
                lang,
                region=prepared.region,
                number=current.number,
                when=fmt_date(current.created_at, lang),
                who=uploader_name(current.uploader, lang),
            )
        ]
    for sheet in change.sheets:
        part = change.sheet(sheet)
        counts = part.counts()
        lines.append(t("change.sheet_counts", lang, sheet=t(f"change.{sheet}", lang), **counts))
        key = KEYS[sheet]
        for kind in ("added", "removed"):
            frame = getattr(part, kind)
            sign = "+" if kind == "added" else "-"
            for _, row in frame.head(limit).iterrows():
                name = (
                    str(row[LINE_LABELS[sheet]])
                    if sheet in LINE_LABELS
                    else value_text(row["amount"], "number", lang) + " " + str(row["currency"])
                )
                lines.append(f"  {sign} {row[key]}  {name}")
            if len(frame) > limit:
                lines.append("    " + t("change.more", lang, n=len(frame) - limit))
        changed = part.changed
        for _, row in changed.head(limit).iterrows():
            f = row["field"]
            lines.append(
                f"  ~ {row['id']}  "
                + labelled(
                    field_label(f, lang),
                    f"{_text(row['old'], sheet, f, lang)} → {_text(row['new'], sheet, f, lang)}",
                    lang,
                )
            )
        if len(changed) > limit:
            lines.append("    " + t("change.more", lang, n=len(changed) - limit))
    lines.append(totals_text(change, lang))
    if change.removals:
        lines.append(
            t(
                "change.removals_warning",
                lang,
                **removal_counts(change, lang),
            )
        )
    return lines


def removal_counts(change: Change, lang: str) -> dict[str, str]:
    """'1 partner', '3 contributions': the rows an upload removes, in the language's plural forms."""
    partners, contributions = len(change.partners.removed), len(change.contributions.removed)
    return {
        "partners": t("change.partners_count", lang, count=partners),
        "contributions": t("change.contributions_count", lang, count=contributions),
    }
