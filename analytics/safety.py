"""Checks on the raw bytes before any spreadsheet parser sees them.

A workbook is a zip of XML. We refuse what is not one (PDF, CSV, legacy .xls, .ods, encrypted
files) with a message saying what to do, and we inflate every member ourselves under a cap so
that a decompression bomb is refused before a parser inflates it. The inflated worksheet XML is
also where Excel error cells (#N/A, #REF!) are found: python-calamine reads them as empty.
"""

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree

from analytics.config import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container with this stream name (UTF-16).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?<v>([^<]*)</v>'
)
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class RefusedFile(Exception):
    """The file cannot be read as a workbook; `code` and `values` make the user's message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass
class Inspection:
    # sheet name -> {(excel_row, column_letters): error text such as "#N/A"}
    error_cells: dict[str, dict[tuple[int, str], str]] = field(default_factory=dict)


def _detect(data: bytes) -> str:
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8"):
        return "image"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary"
    if text.lstrip().startswith("<"):
        return "HTML/XML"
    return "CSV/text" if ("," in text or ";" in text or "\t" in text) else "text"


def _inflate_all(zf: zipfile.ZipFile, limits: Limits) -> dict[str, bytes]:
    """Inflate every member under a running cap; keep the worksheet XML."""
    declared = sum(i.file_size for i in zf.infolist())
    limit_mb = limits.max_inflated_bytes // (1024 * 1024)
    if declared > limits.max_inflated_bytes:
        raise RefusedFile("zip_bomb", limit_mb=limit_mb)
    total = 0
    kept: dict[str, bytes] = {}
    for info in zf.infolist():
        keep = info.filename.startswith("xl/worksheets/") or info.filename in (
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
        )
        chunks = []
        # Sizes in zip headers can lie: count what really comes out, and stop at the cap.
        with zf.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > limits.max_inflated_bytes:
                    raise RefusedFile("zip_bomb", limit_mb=limit_mb)
                if keep:
                    chunks.append(chunk)
        if keep:
            kept[info.filename] = b"".join(chunks)
    return kept


def _sheet_files(kept: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> path of its worksheet XML inside the zip."""
    try:
        book = ElementTree.fromstring(kept["xl/workbook.xml"])
        rels = ElementTree.fromstring(kept["xl/_rels/workbook.xml.rels"])
    except Exception:  # noqa: BLE001 - a workbook without these parts is reported by the parser
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG}Relationship")}
    out = {}
    for sheet in book.iter(f"{NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{NS_REL}id"), "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        out[sheet.get("name")] = path
    return out


def inspect_bytes(data: bytes, limits: Limits) -> Inspection:
    """Refuse what is not a safe .xlsx; find Excel error cells."""
    if len(data) > limits.max_upload_bytes:
        raise RefusedFile(
            "file_too_large",
            size_mb=round(len(data) / 1024 / 1024, 1),
            limit_mb=limits.max_upload_bytes // (1024 * 1024),
        )
    if not data:
        raise RefusedFile("empty_workbook", sheets="Partners, Contributions")
    if data.startswith(OLE_MAGIC):
        raise RefusedFile("encrypted" if ENCRYPTION_STREAM in data else "legacy_xls")
    if not data.startswith(b"PK"):
        raise RefusedFile("not_a_workbook", detected=_detect(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        if "mimetype" in names and zf.read("mimetype").startswith(
            b"application/vnd.oasis.opendocument"
        ):
            raise RefusedFile("ods")
        if "xl/workbook.xml" not in names:
            raise RefusedFile("not_a_workbook", detected="zip")
        kept = _inflate_all(zf, limits)
    except RefusedFile:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise RefusedFile(
            "corrupt", detail=type(exc).__name__ + (f": {exc}" if str(exc) else "")
        ) from exc

    inspection = Inspection()
    for name, path in _sheet_files(kept).items():
        xml = kept.get(path, b"")
        if b't="e"' not in xml:
            continue
        cells = {}
        for col, row, value in ERROR_CELL.findall(xml):
            cells[(int(row), col.decode())] = value.decode(errors="replace")
        inspection.error_cells[name] = cells
    return inspection
