"""The region an upload is for, as the workbook and the user's rights suggest it (issue #13).

The upload page offers a region picker before the file is read; a focal point who drops a file
first would otherwise send it for the picker's first region and get one mismatch error per row.
`preselect` says which region to start the picker on, and why, so the page can say so. It only
suggests: the picker stays, and validation still checks every row against the region chosen.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

ONLY_WRITABLE = "only_writable"  # the user may send registers for one region only
ALL_ROWS = "all_rows"  # every row of the workbook names the same region, one the user may write


@dataclass(frozen=True)
class Preselection:
    """The region to start the picker on (None: leave it as it is) and the reason's code."""

    region: str | None
    reason: str | None = None


NONE = Preselection(None)


def named_regions(frames: Iterable[pd.DataFrame]) -> set[str]:
    """The region codes the rows name, over every frame that has a `region` column (blanks and
    values that are not text, such as a number typed in the cell, are not names)."""
    named: set[str] = set()
    for frame in frames:
        if frame is None or "region" not in frame.columns:
            continue
        named |= {v.strip() for v in frame["region"].dropna() if isinstance(v, str) and v.strip()}
    return named


def preselect(
    partners: pd.DataFrame | None,
    contributions: pd.DataFrame | None,
    writable: Sequence[str],
) -> Preselection:
    """The region to preselect for a workbook read as `partners` and `contributions` (None when
    the file could not be read) by a user who may write `writable`.

    A user who may write one region only sends for that one, whatever the rows say (a mismatch
    is then the workbook's problem, which validation reports). Otherwise the rows decide when
    they all name one region the user may write; several regions, or one the user may not
    write, preselect nothing and validation explains.
    """
    if len(writable) == 1:
        return Preselection(writable[0], ONLY_WRITABLE)
    named = named_regions([partners, contributions])
    if len(named) == 1:
        (region,) = named
        if region in writable:
            return Preselection(region, ALL_ROWS)
    return NONE
