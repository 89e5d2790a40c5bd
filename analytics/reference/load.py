"""Reference data maintained by HQ as CSV files: regions, code lists, rates, budgets, targets,
reporting periods."""

import os
import shutil
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.config import SHIPPED_REFERENCE_DIR, setting
from analytics.reference import refcheck
from analytics.reference.refcheck import ReferenceDataError, findings
from analytics.reference.refcheck import country_codes as country_codes  # re-exported, as before
from analytics.reference.refcheck import currency_codes as currency_codes

# Code lists whose labels are long names ("RBD Dakar – Western Africa", a strategic objective's
# sentence): drop-downs and messages offer their codes, which is what people type.
NAMED_BY_CODE = ("region", "strategic_objective")


def normalise(text: object) -> str:
    """Fold a label for matching: case, accents, spaces, underscores, hyphens and apostrophes ignored."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in s.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Reference:
    regions: pd.DataFrame  # code, name_en, name_fr, bureau, countries (list of ISO3)
    codelists: pd.DataFrame  # list, code, label_en, label_fr
    exchange_rates: pd.DataFrame  # currency, year, usd_per_unit
    budgets: pd.DataFrame  # region, year, budget_usd
    targets: pd.DataFrame  # indicator, region, year, target
    objectives: pd.DataFrame  # code, name_en, name_fr
    # period, first_day, last_day, due_date (dates), in date order
    reporting_periods: pd.DataFrame = field(default_factory=pd.DataFrame)
    _labels: dict = field(default_factory=dict, repr=False, compare=False)  # (list, lang) -> labels
    _lists: dict = field(default_factory=dict, repr=False, compare=False)  # list -> its rows

    def codelist(self, list_name: str) -> pd.DataFrame:
        """One code list as rows of `code`, `label_<lang>`… and `alias` (another spelling people
        type): read from codelists.csv, except the regions and the strategic objectives, whose
        files hold their lists with more columns (a region's bureau and countries). Every code
        list is then handled alike: codes, labels and spellings come from here."""
        if list_name not in self._lists:
            self._lists[list_name] = self._codelist(list_name)
        return self._lists[list_name]

    def _codelist(self, list_name: str) -> pd.DataFrame:
        if list_name == "region":  # labelled "RBD Dakar – Western Africa"; the bureau is typed too
            r = self.regions
            names = {c.removeprefix("name_"): r[c] for c in r.columns if c.startswith("name_")}
            labels = {
                f"label_{x}": r["code"] + " " + r["bureau"] + " – " + n for x, n in names.items()
            }
            return pd.DataFrame({"code": r["code"], **labels, "alias": r["bureau"]})
        if list_name == "strategic_objective":
            o = self.objectives
            labels = {
                f"label_{c.removeprefix('name_')}": o[c] for c in o.columns if c.startswith("name_")
            }
            return pd.DataFrame({"code": o["code"], **labels})
        return self.codelists[self.codelists["list"] == list_name].reset_index(drop=True)

    @property
    def codelist_names(self) -> list[str]:
        """Every code list the reference data holds."""
        return [*self.codelists["list"].unique(), "region", "strategic_objective"]

    def codes(self, list_name: str) -> list[str]:
        """The codes of one code list, in file order."""
        return self.codelist(list_name)["code"].tolist()

    def code_lookup(self, list_name: str) -> dict[str, str]:
        """Normalised code, label (any language) or alias -> code."""
        rows = self.codelist(list_name)
        lookup: dict[str, str] = {}
        spellings = [c for c in rows.columns if c.startswith("label_") or c == "alias"]
        for row in rows.itertuples(index=False):
            for value in [row.code, *(getattr(row, c) for c in spellings)]:
                if isinstance(value, str) and value:
                    lookup.setdefault(normalise(value), row.code)
        return lookup

    def label(self, list_name: str, code: str, lang: str) -> str:
        """The label of a code in a language (the code itself when unknown)."""
        return self.labels(list_name, lang).get(code, str(code))

    def labels(self, list_name: str, lang: str) -> dict[str, str]:
        """code -> label for one code list (computed once per list and language)."""
        key = (list_name, lang)
        if key not in self._labels:
            rows = self.codelist(list_name)
            col = f"label_{lang}" if f"label_{lang}" in rows.columns else "label_en"
            self._labels[key] = dict(zip(rows["code"], rows[col].astype(str), strict=True))
        return self._labels[key]

    @property
    def region_codes(self) -> list[str]:
        return self.codes("region")

    def region_name(self, code: str, lang: str) -> str:
        return self.label("region", code, lang)

    def region_countries(self, code: str) -> set[str]:
        rows = self.regions[self.regions["code"] == code]
        return set(rows["countries"].iloc[0]) if len(rows) else set()

    def objective_codes(self) -> list[str]:
        return self.codes("strategic_objective")

    def usd_per_unit(self, currency, year) -> np.ndarray:
        """USD per unit for each (currency, year) pair; NaN where the reference has no rate.

        The one conversion of the product (indicators, change previews, exports). Currencies match
        case-insensitively and are looked up per distinct value, so 1M rows cost one take.
        """
        currency = pd.Series(currency, copy=False).astype("category")
        year = np.asarray(year, dtype=np.float64)
        rates = self.exchange_rates
        if rates.empty or len(currency) == 0:
            return np.full(len(currency), np.nan)
        known = pd.Index(rates["currency"].str.upper().unique())
        y0, y1 = int(rates["year"].min()), int(rates["year"].max())
        table = np.full((len(known) + 1, y1 - y0 + 2), np.nan)  # a last row and column of NaN
        table[
            known.get_indexer(rates["currency"].str.upper()), rates["year"].to_numpy(int) - y0
        ] = rates["usd_per_unit"].to_numpy(float)
        per_category = known.get_indexer(pd.Index(currency.cat.categories.astype(str)).str.upper())
        codes = currency.cat.codes.to_numpy()
        row = np.where(codes >= 0, np.append(per_category, -1)[codes], -1)
        row = np.where(row >= 0, row, len(known))
        in_range = np.isfinite(year) & (year >= y0) & (year <= y1)
        col = np.where(in_range, np.nan_to_num(year) - y0, y1 - y0 + 1).astype(np.int64)
        return table[row, col]

    def target(
        self, indicator: str, region: str | None = None, year: int | None = None
    ) -> float | None:
        """The most specific target for an indicator (region and year beat the general row)."""
        t = self.targets[self.targets["indicator"] == indicator]
        best, best_score = None, -1
        for row in t.itertuples(index=False):
            if pd.notna(row.region) and row.region != region:
                continue
            if pd.notna(row.year) and int(row.year) != year:
                continue
            score = int(pd.notna(row.region)) + int(pd.notna(row.year))
            if score > best_score:
                best, best_score = float(row.target), score
        return best


def _read(folder: Path, name: str, regions: set[str] | None = None) -> pd.DataFrame:
    """One reference file, checked by the rules of analytics.reference.refcheck before anything uses it:
    ReferenceDataError (file, row, column, problem) for a file missing, unreadable or invalid."""
    try:
        frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise ReferenceDataError(name, [("reference_error.missing", {})]) from None
    # pandas' ParserError and EmptyDataError are ValueErrors.
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReferenceDataError(
            name, [("reference_error.unreadable", {"detail": detail})]
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    found = findings(name.removesuffix(".csv"), frame, regions or set())
    if found:
        raise ReferenceDataError(name, found)
    return frame


def reference_folder() -> Path:
    """The configured reference folder, filled from the shipped files the first time it is used.

    The app writes admins' edits there, so it is a working copy (var/reference by default), never
    the tracked data/reference: updating the code never meets local edits.
    """
    path = Path(setting("PARTNERSHIPS_REFERENCE_DIR"))
    if path.resolve() != SHIPPED_REFERENCE_DIR.resolve():
        path.mkdir(parents=True, exist_ok=True)
        for shipped in SHIPPED_REFERENCE_DIR.glob("*.csv"):
            if not (path / shipped.name).exists():
                # Copy then rename: another process starting at the same time never reads half a file.
                partial = path / f".{shipped.name}.{os.getpid()}"
                shutil.copyfile(shipped, partial)
                os.replace(partial, path / shipped.name)
    return path


FILE_NAMES = tuple(f"{name}.csv" for name in refcheck.FILES)  # declared once, with their rules


def files_state(folder: str | Path | None = None) -> tuple:
    """(name, mtime_ns, size) of each reference file: changes whenever a file is rewritten, by
    this process or another one (an admin's save, a sync, an edit by hand). A few stat calls."""
    path = Path(folder) if folder else reference_folder()
    state = []
    for name in FILE_NAMES:
        try:
            info = (path / name).stat()
        except OSError:
            state.append((name, None, None))
        else:
            state.append((name, info.st_mtime_ns, info.st_size))
    return tuple(state)


def load_reference(folder: str | None = None) -> Reference:
    """Every reference file of a folder (the configured one by default), read again only when one
    of the files changed since the last read. Each file is checked as an admin's save is:
    ReferenceDataError names the file, the row, the column and the problem."""
    path = Path(folder) if folder else reference_folder()
    return _load(str(path), files_state(path))


@lru_cache(maxsize=4)
def _load(folder: str, state: tuple) -> Reference:
    path = Path(folder)
    regions = _read(path, "regions.csv")
    codes = set(regions["code"].str.strip())  # what budgets and targets may name
    regions["countries"] = (
        regions["countries"]
        .fillna("")
        .map(lambda s: [c.strip().upper() for c in s.split(";") if c.strip()])
    )
    rates = _read(path, "exchange_rates.csv", codes)
    rates["year"] = rates["year"].astype(int)
    rates["usd_per_unit"] = rates["usd_per_unit"].astype(float)
    rates["currency"] = rates["currency"].str.upper()
    budgets = _read(path, "budgets.csv", codes)
    budgets["year"] = budgets["year"].astype(int)
    budgets["budget_usd"] = budgets["budget_usd"].astype(float)
    targets = _read(path, "targets.csv", codes)
    targets["target"] = targets["target"].astype(float)
    targets["year"] = pd.to_numeric(targets["year"], errors="coerce")
    periods = _read(path, "reporting_periods.csv", codes)
    for column in ("first_day", "last_day", "due_date"):
        periods[column] = pd.to_datetime(periods[column], format="%Y-%m-%d").dt.date
    periods = periods.sort_values("first_day", ignore_index=True)
    return Reference(
        regions=regions,
        codelists=_read(path, "codelists.csv", codes),
        exchange_rates=rates,
        budgets=budgets,
        targets=targets,
        objectives=_read(path, "strategic_objectives.csv", codes),
        reporting_periods=periods,
    )


load_reference.cache_clear = _load.cache_clear  # the next call reads the files again
