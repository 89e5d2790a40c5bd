"""What an upload changes: rows added, changed (field by field, old → new) and removed, per sheet.

Rows are matched on their id (partner_id, contribution_id); every model column and the extra
columns are compared, the Excel row number is not (moving a row is not a change). Vectorised:
rows are compared by a hash of their values first, field by field only where the hashes differ.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.reference.load import Reference
from analytics.register.reading import Register
from analytics.store.tables import KEYS, KINDS

SHEETS = ("partners", "contributions")
# The follow-up sheets (optional): shown only when one of the two registers has them.
FOLLOW_UP = ("agreements", "reports")
# Columns compared besides the model's: the workbook's extra columns (JSON), kept with the row.
EXTRA = "extra"
# Shown next to the id in previews so people recognise the row.
LABELS = {
    "partners": "partner_name",
    "contributions": "partner_id",
    "agreements": "title",
    "reports": "agreement_id",
}
CHANGE_COLUMNS = ["id", "label", "field", "old", "new"]


@dataclass(frozen=True)
class SheetChange:
    """Rows of one sheet added (new rows), removed (old rows) and changed (one line per field)."""

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame  # id, label, field, old, new

    @property
    def changed_ids(self) -> list[str]:
        return list(dict.fromkeys(self.changed["id"]))

    @property
    def empty(self) -> bool:
        return self.added.empty and self.removed.empty and self.changed.empty

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed_ids),
            "removed": len(self.removed),
        }


@dataclass(frozen=True)
class Change:
    """The change from a region's current register (`before`, maybe empty) to an uploaded one."""

    partners: SheetChange
    contributions: SheetChange
    usd_before: float
    usd_after: float
    # Contributions whose currency and year have no reference rate (left out of the totals).
    unpriced_before: int = 0
    unpriced_after: int = 0
    agreements: SheetChange | None = None  # None: neither register has the follow-up sheets
    reports: SheetChange | None = None

    @property
    def sheets(self) -> tuple[str, ...]:
        """The sheets this change shows: the follow-up ones only when a register has them."""
        return SHEETS + (FOLLOW_UP if self.agreements is not None else ())

    @property
    def identical(self) -> bool:
        return all(self.sheet(s).empty for s in self.sheets)

    @property
    def removals(self) -> int:
        # Partners and contributions: what the removal warning names (agreements are listed).
        return len(self.partners.removed) + len(self.contributions.removed)

    def sheet(self, name: str) -> SheetChange:
        return getattr(self, name)


def _compared_columns(sheet: str) -> list[str]:
    return [*KINDS[sheet], EXTRA]


def _same(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values are equal (and NaN, NaT, NA, None all are)."""
    old_na, new_na = old.isna().to_numpy(), new.isna().to_numpy()
    if old.dtype == object or new.dtype == object:
        a, b = old.astype(object).to_numpy(), new.astype(object).to_numpy()
        eq = np.fromiter((x == y for x, y in zip(a, b, strict=True)), dtype=bool, count=len(a))
    else:
        eq = (old == new).fillna(False).to_numpy(dtype=bool)
    return (old_na & new_na) | (eq & ~old_na & ~new_na)


def _normalised(frame: pd.DataFrame | None, sheet: str) -> pd.DataFrame:
    """The compared columns with comparable dtypes (frames from a workbook and from the store)."""
    columns = _compared_columns(sheet)
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = {}
    for name in columns:
        kind = KINDS[sheet].get(name, "text")
        s = frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)
        if kind == "date":
            s = pd.to_datetime(s).astype("datetime64[us]")
        elif kind == "bool":
            s = s.astype("boolean")
        elif kind == "number":
            s = s.astype("float64")
        else:
            s = s.astype("str")
        if (
            name == EXTRA
        ):  # a row with an extra column left empty has "{}": the same as no extra column
            s = s.mask(s == "{}")
        out[name] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def diff_sheet(before: pd.DataFrame | None, after: pd.DataFrame, sheet: str) -> SheetChange:
    """Added, removed and changed rows of one sheet, matched on its id."""
    key, label = KEYS[sheet], LABELS[sheet]
    old, new = _normalised(before, sheet), _normalised(after, sheet)
    # Hash lookups on plain object arrays: Index.isin on Arrow strings is slow in pandas 3.1.
    old_ids = pd.Index(old[key].to_numpy(dtype=object))
    new_ids = pd.Index(new[key].to_numpy(dtype=object))
    where_old = old_ids.get_indexer(new_ids)  # -1: not in the old register
    in_old = where_old >= 0
    added = new[~in_old].reset_index(drop=True)
    removed = old[new_ids.get_indexer(old_ids) < 0].reset_index(drop=True)
    # Both sides aligned on the ids present in both, in the new register's order.
    kept = new[in_old].reset_index(drop=True)
    old_kept = old.iloc[where_old[in_old]].reset_index(drop=True)
    # One hash per row of the compared columns: only the rows whose hashes differ (a few in a
    # quarter's update) are compared field by field; equal values always hash alike.
    compared = [name for name in _compared_columns(sheet) if name != key]
    suspects = np.flatnonzero(
        pd.util.hash_pandas_object(kept[compared], index=False).to_numpy()
        != pd.util.hash_pandas_object(old_kept[compared], index=False).to_numpy()
    )
    kept_s, old_s = kept.iloc[suspects], old_kept.iloc[suspects]
    parts = []
    for name in compared:
        differs = ~_same(old_s[name], kept_s[name])
        if differs.any():
            parts.append(
                pd.DataFrame(
                    {
                        "id": kept_s[key].to_numpy()[differs],
                        "label": kept_s[label].to_numpy()[differs],
                        "field": name,
                        "old": old_s[name].astype(object).to_numpy()[differs],
                        "new": kept_s[name].astype(object).to_numpy()[differs],
                        "_row": suspects[differs],
                    }
                )
            )
    if parts:
        order = {name: i for i, name in enumerate(_compared_columns(sheet))}
        changed = pd.concat(parts, ignore_index=True)
        changed["_col"] = changed["field"].map(order)
        changed = changed.sort_values(["_row", "_col"], kind="stable").drop(
            columns=["_row", "_col"]
        )
        changed = changed.reset_index(drop=True)
    else:
        changed = pd.DataFrame({c: pd.Series(dtype=object) for c in CHANGE_COLUMNS})
    return SheetChange(added=added, removed=removed, changed=changed)


def usd_amounts(contributions: pd.DataFrame, reference: Reference) -> pd.Series:
    """Each contribution's amount in USD at the reference rate of its currency and year (NaN if none)."""
    if contributions is None or contributions.empty:
        return pd.Series(dtype="float64")
    year = pd.to_datetime(contributions["date"]).dt.year.to_numpy(np.float64, na_value=np.nan)
    rate = reference.usd_per_unit(contributions["currency"], year)
    return pd.Series(
        contributions["amount"].to_numpy(dtype=float) * rate, index=contributions.index
    )


def diff_registers(before: Register | None, after: Register, reference: Reference) -> Change:
    """The change from the current register (None before the region's first version) to `after`."""
    old_usd = usd_amounts(before.contributions if before else None, reference)
    new_usd = usd_amounts(after.contributions, reference)
    return Change(
        partners=diff_sheet(before.partners if before else None, after.partners, "partners"),
        contributions=diff_sheet(
            before.contributions if before else None, after.contributions, "contributions"
        ),
        usd_before=float(old_usd.sum()),
        usd_after=float(new_usd.sum()),
        unpriced_before=int(old_usd.isna().sum()),
        unpriced_after=int(new_usd.isna().sum()),
        **_follow_up(before, after),
    )


def _follow_up(before: Register | None, after: Register) -> dict[str, SheetChange]:
    """The change of the agreements and reports, when either register has any."""
    registers = [r for r in (before, after) if r is not None]
    if not any(len(r.agreements) or len(r.reports) for r in registers):
        return {}
    return {
        sheet: diff_sheet(getattr(before, sheet) if before else None, getattr(after, sheet), sheet)
        for sheet in FOLLOW_UP
    }
