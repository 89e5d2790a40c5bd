"""Checks on the raw bytes before any spreadsheet parser sees them.

A workbook is a zip of XML. We refuse what is not one (PDF, CSV, legacy .xls, .ods, encrypted
files) with a message saying what to do. Every member is inflated here first, as a stream under
a running cap and a compression-ratio check, so that a decompression bomb is refused before a
parser inflates it, and without ever holding a whole worksheet in memory.

The worksheet XML of the sheets to be read is scanned on the way, chunk by chunk, for what a
parser would hide or choke on: the largest cell used (python-calamine allocates rows × columns
up to it, and a single stray cell at XFD1048576 aborts the process: no exception to catch),
Excel error cells (#N/A, #REF!, read as empty) and formulas saved without a computed value.
"""

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from defusedxml import ElementTree

from analytics.config import Limits
from analytics.register.sheet_scan import NORMAL_MAX_COLUMNS, Extent, SheetScan, follow_cells

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container with this stream name (UTF-16).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 1 << 20
BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


class RefusedFile(Exception):
    """The file cannot be read as a workbook; `code` and `values` make the user's message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class SheetPart:
    name: str
    path: str  # its XML inside the zip
    state: str  # visible, hidden or veryHidden

    @property
    def visible(self) -> bool:
        return self.state == "visible"


@dataclass
class Inspection:
    sheets: list[SheetPart] = field(default_factory=list)  # in workbook order
    # sheet name -> {(excel_row, column_letters): error text such as "#N/A"}
    error_cells: dict[str, dict[tuple[int, str], str]] = field(default_factory=dict)
    # sheet name -> cells holding a formula saved without its computed value
    formula_cells: dict[str, set[tuple[int, str]]] = field(default_factory=dict)
    extents: dict[str, Extent] = field(default_factory=dict)  # scanned sheets only

    @property
    def visible_sheets(self) -> list[str]:
        return [s.name for s in self.sheets if s.visible]

    @property
    def hidden_sheets(self) -> list[str]:
        return [s.name for s in self.sheets if not s.visible]


def _detect(data: bytes) -> str:
    head = data[:2048]
    # Codes, named in the reader's language by the message (locales: file_kinds).
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8"):
        return "image"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary"
    if text.lstrip().startswith("<"):
        return "html"
    return "csv" if ("," in text or ";" in text or "\t" in text) else "text"


class _Inflater:
    """Inflates members as streams, counting every byte against the caps."""

    def __init__(self, zf: zipfile.ZipFile, limits: Limits, size: int):
        self.zf, self.limits, self.size = zf, limits, size
        self.total = 0

    def chunks(self, info: zipfile.ZipInfo, count: bool = True) -> Iterator[bytes]:
        limits = self.limits
        # Sizes in zip headers can lie: count what really comes out, and stop at the caps.
        compressed = max(min(info.compress_size, self.size), 1)
        ratio_cap = max(limits.max_compression_ratio * compressed, limits.ratio_check_bytes)
        inflated = 0
        with self.zf.open(info) as member:
            while chunk := member.read(CHUNK):
                inflated += len(chunk)
                if count:
                    self.total += len(chunk)
                    if self.total > limits.max_inflated_bytes:
                        raise RefusedFile(
                            "zip_bomb", limit_mb=limits.max_inflated_bytes // (1024 * 1024)
                        )
                if inflated > ratio_cap:
                    raise RefusedFile(
                        "compression_ratio",
                        member=info.filename,
                        ratio=limits.max_compression_ratio,
                        compressed_kb=max(round(compressed / 1024), 1),
                    )
                yield chunk

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(self.zf.getinfo(name)))


def _sheet_parts(book_xml: bytes, rels_xml: bytes) -> list[SheetPart]:
    """The sheets of the workbook, in order: name, path of its XML inside the zip, visibility."""
    try:
        book = ElementTree.fromstring(book_xml)
        rels = ElementTree.fromstring(rels_xml)
    except Exception as exc:  # noqa: BLE001 - entities, malformed XML: not a workbook we read
        raise RefusedFile("corrupt", detail=f"xl/workbook.xml: {type(exc).__name__}") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG}Relationship")}
    out = []
    for sheet in book.iter(f"{NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{NS_REL}id"), "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        out.append(SheetPart(sheet.get("name", ""), path, sheet.get("state") or "visible"))
    return out


def _refuse_oversized(name: str, extent: Extent, limits: Limits) -> None:
    if extent.columns > limits.max_sheet_columns:
        cell = extent.column_cell
    elif extent.rows > limits.max_sheet_rows:
        cell = extent.row_cell
    elif extent.rows * extent.columns > limits.max_sheet_cells:
        cell = extent.column_cell if extent.columns > NORMAL_MAX_COLUMNS else extent.row_cell
    else:
        return
    raise RefusedFile(
        "sheet_too_large",
        sheet=name,
        cell=cell,
        rows=extent.rows,
        columns=extent.columns,
        max_columns=limits.max_sheet_columns,
        max_rows=limits.max_sheet_rows,
        max_cells=limits.max_sheet_cells,
    )


def _scan_members(
    zf: zipfile.ZipFile,
    limits: Limits,
    size: int,
    wanted: Callable[[list[str]], Iterable[str]] | None,
) -> Inspection:
    inflater = _Inflater(zf, limits, size)
    inspection = Inspection(sheets=_sheet_parts(*(inflater.read(n) for n in BOOK_PARTS)))
    names = inspection.visible_sheets
    to_scan = set(wanted(names) if wanted is not None else names)
    # python-calamine finds a part whatever the case of its name: so do we (all of them).
    paths = {s.path.lower(): s.name for s in inspection.sheets if s.name in to_scan}
    for info in zf.infolist():
        if info.filename in BOOK_PARTS:
            continue  # inflated and counted above
        name = paths.get(info.filename.lower())
        if name is None:
            for _ in inflater.chunks(info):  # inflated for the caps (and the CRC), not kept
                pass
            continue
        scan = SheetScan(name, inspection)
        for chunk in inflater.chunks(info):
            scan.feed(chunk)
        scan.feed(b"", last=True)
        extent = scan.extent
        if not scan.bounds_fit(limits):
            extent = follow_cells(inflater.chunks(info, count=False), extent.dimension)
        inspection.extents[name] = extent
        _refuse_oversized(name, extent, limits)
    for sheet in inspection.sheets:
        if sheet.name in to_scan and sheet.name not in inspection.extents:
            # Not where the workbook says: a reader that found it elsewhere would read it unchecked.
            raise RefusedFile("corrupt", detail=f"{sheet.path}: not found")
    return inspection


def inspect_bytes(
    data: bytes, limits: Limits, wanted: Callable[[list[str]], Iterable[str]] | None = None
) -> Inspection:
    """Refuse what is not a safe .xlsx; find hidden sheets, Excel errors and uncomputed formulas.

    `wanted(visible sheet names)` names the sheets that will be read: only their XML is scanned
    and held to the sheet budget of `limits` (every visible sheet when None).
    """
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
        if BOOK_PARTS[0] not in names:
            raise RefusedFile("not_a_workbook", detected="zip")
        if BOOK_PARTS[1] not in names:
            raise RefusedFile("corrupt", detail=f"{BOOK_PARTS[1]} is missing")
        if sum(i.file_size for i in zf.infolist()) > limits.max_inflated_bytes:
            raise RefusedFile("zip_bomb", limit_mb=limits.max_inflated_bytes // (1024 * 1024))
        return _scan_members(zf, limits, len(data), wanted)
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
