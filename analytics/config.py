"""Settings read from the environment, declared once with their defaults."""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The reference files shipped with the product (sample values); never written by the app.
SHIPPED_REFERENCE_DIR = ROOT / "data" / "reference"

# name -> (default, help). Every setting the product reads lives here, nowhere else.
SETTINGS: dict[str, tuple[str, str]] = {
    "PARTNERSHIPS_REFERENCE_DIR": (
        str(ROOT / "var" / "reference"),
        "working copy of the reference data, made from data/reference on first use; admins' edits are saved here",
    ),
    "PARTNERSHIPS_SAMPLE_DIR": (
        str(ROOT / "data" / "sample"),
        "folder of the sample workbooks loaded into an empty store",
    ),
    "DATABASE_URL": ("", "SQLAlchemy URL of the store; empty means the embedded SQLite file"),
    "PARTNERSHIPS_DB_PATH": (
        str(ROOT / "var" / "partnerships.db"),
        "path of the embedded SQLite store",
    ),
    "PARTNERSHIPS_MAX_UPLOAD_MB": (
        "50",
        "largest workbook accepted, in MB (keep server.maxUploadSize equal)",
    ),
    "PARTNERSHIPS_MAX_INFLATED_MB": (
        "1000",
        "largest total size of a workbook's XML once unzipped, in MB",
    ),
    "PARTNERSHIPS_USERS_FILE": (
        "",
        "users file (names, roles, regions, password hashes); empty means users.toml beside the embedded store",
    ),
    "PARTNERSHIPS_AUTH": (
        "auto",
        "sign-in: auto (demo when there is no users file and no OIDC, on 127.0.0.1 only), demo, password or oidc",
    ),
    # E-mail, for `remind` only (no other command sends any).
    "PARTNERSHIPS_APP_URL": (
        "http://localhost:8501",
        "address of the app as its users reach it; reminder e-mails link to its upload page",
    ),
    "PARTNERSHIPS_SMTP_HOST": ("localhost", "SMTP server that `remind` sends through"),
    "PARTNERSHIPS_SMTP_PORT": ("25", "its port (587 with STARTTLS, 465 for TLS from the start)"),
    "PARTNERSHIPS_SMTP_SECURITY": ("none", "none, starttls or tls"),
    "PARTNERSHIPS_SMTP_USER": ("", "SMTP user name; empty means no login"),
    "PARTNERSHIPS_SMTP_PASSWORD": ("", "SMTP password"),
    "PARTNERSHIPS_SMTP_SENDER": (
        "partnerships@localhost",
        "the From address of reminder e-mails",
    ),
    "PARTNERSHIPS_TODAY": (
        "",
        "today's date as an ISO date (2026-03-15), to fix it for tests and demos; empty means the real date",
    ),
}


def setting(name: str) -> str:
    """The value of a setting: the environment, else its declared default."""
    default, _ = SETTINGS[name]
    return os.environ.get(name) or default


def today() -> date:
    """Today: PARTNERSHIPS_TODAY when set (an ISO date), else the real date. Every "today" of the
    product (the default period, cut-offs, like-for-like comparisons) comes from here."""
    value = setting("PARTNERSHIPS_TODAY").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"PARTNERSHIPS_TODAY={value!r} is not an ISO date such as 2026-03-15"
        ) from None


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int
    max_inflated_bytes: int
    # A register sheet read into memory costs about 50 bytes per cell of rows × columns, up to
    # its last cell: 1,048,576 rows × 47 columns fit; one stray cell at XFD1048576 (17 billion
    # cells, which aborts the reader) or far right on every row does not.
    max_sheet_columns: int = 200  # Excel allows 16,384
    max_sheet_rows: int = 1_048_576  # Excel's own limit
    max_sheet_cells: int = 50_000_000  # rows × columns up to the last cell
    # Excel's XML inflates 5–20 times; a member inflating more than this (once past a few MB)
    # is a decompression bomb, refused long before the total cap.
    max_compression_ratio: int = 200
    ratio_check_bytes: int = 16 * 1024 * 1024


def limits() -> Limits:
    """Size limits for uploaded workbooks."""
    return Limits(
        max_upload_bytes=int(float(setting("PARTNERSHIPS_MAX_UPLOAD_MB")) * 1024 * 1024),
        max_inflated_bytes=int(float(setting("PARTNERSHIPS_MAX_INFLATED_MB")) * 1024 * 1024),
    )
