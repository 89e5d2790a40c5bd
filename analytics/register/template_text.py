"""What the template writes in each language: sheet names, column headers and their help.

All of it is locale data (locales/xx/core.toml `sheets.*`, `headers.*`, `column_help.*`).
"""

import pandera.pandas as pa

from analytics.i18n import has, t
from schemas.workbook import ALL_SHEETS, Agreements, Column, Contributions, Reports

MODELS: tuple[type[pa.DataFrameModel], ...] = ALL_SHEETS
# A column shared with another sheet may have its own help there: column_help.<prefix>_<name>.
HELP_PREFIX = {Contributions: "contribution", Agreements: "agreement", Reports: "report"}


def sheet_name(model: type[pa.DataFrameModel], lang: str) -> str:
    """The sheet name of a model in a language (locales/xx/core.toml `sheets.*`)."""
    return t(f"sheets.{model.Config.name}", lang)


def header(column: Column, lang: str) -> str:
    """The header of a column as the template writes it in a language (`headers.*`)."""
    return t(f"headers.{column.name}", lang)


def help_text(model: type[pa.DataFrameModel], column: Column, lang: str) -> str:
    """The help of a column; a column shared with another sheet may have its own wording."""
    prefix = HELP_PREFIX.get(model)
    if prefix and has(f"column_help.{prefix}_{column.name}", lang):
        return t(f"column_help.{prefix}_{column.name}", lang)
    return t(f"column_help.{column.name}", lang)
