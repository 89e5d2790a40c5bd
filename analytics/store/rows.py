"""A register's rows in and out of the row tables (partners, contributions), in bulk.

Written column by column from the frames (no Python object per cell beyond the driver's own):
executemany in large batches on SQLite, COPY through psycopg 3 on PostgreSQL, both inside the
caller's transaction. Read back through the driver too, skipping SQLAlchemy's per-value
conversions, into the dtypes `load_workbook` gives.
"""

import numpy as np
import pandas as pd
import sqlalchemy as sa

from analytics.store.tables import KINDS, ROW_TABLES, versions

# Rows per executemany batch: bounds the memory of the parameter lists of a 671k-row register.
CHUNK = 50_000


def _names(sheet: str) -> list[str]:
    return ["version_id", *KINDS[sheet], "excel_row", "extra"]


def _column(s: pd.Series, kind: str, dialect: str) -> list:
    """One column as driver values (Python str, float, int, bool), None for a missing one."""
    if kind == "date":
        # As SQLAlchemy's Date stores them on SQLite; PostgreSQL's COPY reads the same text.
        values = pd.to_datetime(s).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    elif kind == "bool":
        values = s.astype("boolean").to_numpy(dtype=object, na_value=None)
        if dialect == "sqlite":  # SQLAlchemy's Boolean on SQLite is 1 or 0
            values = s.astype("Int64").to_numpy(dtype=object, na_value=None)
    elif kind == "int":
        values = s.astype("Int64").to_numpy(dtype=object, na_value=None)
    elif kind == "number":
        values = s.to_numpy(dtype="float64", na_value=np.nan).astype(object)
    else:
        values = s.to_numpy(dtype=object)
    missing = s.isna().to_numpy()
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values.tolist()


def _tuples(frame: pd.DataFrame, sheet: str, version_id: int, dialect: str):
    columns = [[version_id] * len(frame)]
    columns += [_column(frame[name], kind, dialect) for name, kind in KINDS[sheet].items()]
    columns.append(_column(frame["excel_row"], "int", dialect))
    columns.append(_column(frame["extra"], "text", dialect))
    return zip(*columns, strict=True)


def _batches(frame: pd.DataFrame, sheet: str, version_id: int, dialect: str):
    """Lists of at most CHUNK row tuples: only one batch's Python values exist at a time."""
    for start in range(0, len(frame), CHUNK):
        yield list(_tuples(frame.iloc[start : start + CHUNK], sheet, version_id, dialect))


def write_rows(conn: sa.Connection, sheet: str, frame: pd.DataFrame, version_id: int) -> None:
    """Insert a sheet's rows as `version_id`'s, in the transaction of `conn`."""
    dialect = conn.dialect.name
    names = _names(sheet)
    batches = _batches(frame, sheet, version_id, dialect)
    table = ROW_TABLES[sheet].name
    if dialect == "postgresql" and conn.dialect.driver == "psycopg":
        statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        cursor = conn.connection.driver_connection.cursor()
        try:
            with cursor.copy(statement) as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row)
        except conn.dialect.loaded_dbapi.Error as exc:
            # Raised as SQLAlchemy raises the driver's errors everywhere else (IntegrityError…).
            raise sa.exc.DBAPIError.instance(
                statement, None, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
            ) from exc
        finally:
            cursor.close()
        return
    if dialect == "sqlite":
        # The driver's executemany on plain tuples, through SQLAlchemy for its errors.
        insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        run = conn.exec_driver_sql
    else:  # any other database: SQLAlchemy's executemany
        statement = sa.insert(ROW_TABLES[sheet])

        def run(_, batch):
            conn.execute(statement, [dict(zip(names, row, strict=True)) for row in batch])

        insert = None
    for batch in batches:
        run(insert, batch)


def _from_db(rows: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Stored rows with the dtypes `load_workbook` gives: str, datetime64, boolean, float64."""
    out = {}
    for name, kind in KINDS[sheet].items():
        s = rows[name]
        if kind == "date":
            # The unit load_workbook gives, so that stored and uploaded registers compare equal.
            out[name] = pd.to_datetime(s).astype("datetime64[us]")
        elif kind == "bool":
            # 1 and 0 on SQLite, True and False on PostgreSQL: both cast as they are. (A mapping
            # {0: False, 1: True} misses every value of an all-bool column under pandas 3.)
            out[name] = s.astype("boolean")
        elif kind == "number":
            out[name] = s.astype("float64")
        else:
            out[name] = s.astype("str")
    excel_row = rows["excel_row"].astype("Int64")
    # int64 as load_workbook gives it; nullable only if some row has no Excel row number.
    out["excel_row"] = excel_row if excel_row.isna().any() else excel_row.astype("int64")
    out["extra"] = rows["extra"].astype(object).where(rows["extra"].notna(), None)
    return pd.DataFrame(out).reset_index(drop=True)


def read_rows(conn: sa.Connection, sheet: str, version_ids: list[int]) -> pd.DataFrame:
    """The rows of these versions, ordered by region then Excel row, with a leading `_region`."""
    table = ROW_TABLES[sheet]
    names = [n for n in _names(sheet) if n != "version_id"]
    query = (
        sa.select(*[table.c[n] for n in names], versions.c.region.label("_region"))
        .join(versions, versions.c.id == table.c.version_id)
        .where(table.c.version_id.in_([int(v) for v in version_ids] or [-1]))
        .order_by(versions.c.region, table.c.excel_row)
    )
    # The ids are integers written into the text; the driver's values skip SQLAlchemy's
    # conversion of every date and boolean one by one.
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    parts = []
    for fetched in conn.exec_driver_sql(sql).partitions(CHUNK):
        # Column by column, one batch of Python values at a time, into typed columns.
        parts.append(
            _typed(_raw_frame([*names, "_region"], list(zip(*fetched, strict=True))), sheet)
        )
    if not parts:
        return _typed(_raw_frame([*names, "_region"], []), sheet)
    frame = pd.concat(parts, ignore_index=True)
    if frame["excel_row"].dtype != "int64" and not frame["excel_row"].isna().any():
        frame["excel_row"] = frame["excel_row"].astype("int64")
    return frame


def _typed(raw: pd.DataFrame, sheet: str) -> pd.DataFrame:
    frame = _from_db(raw, sheet)
    frame.insert(0, "_region", raw["_region"].astype("str").to_numpy() if len(raw) else [])
    return frame


def _raw_frame(names: list[str], columns: list) -> pd.DataFrame:
    columns = columns or [()] * len(names)
    return pd.DataFrame(
        {n: pd.Series(c, dtype=object) for n, c in zip(names, columns, strict=True)}
    )
