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
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from defusedxml import ElementTree

from analytics.config import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container with this stream name (UTF-16).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 1 << 20
BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")

# The cell tags Excel, LibreOffice and openpyxl write for a plain value: a ref of one letter and
# at most 6 digits, then a style and a type (never "e"), content not starting with a formula.
# Such a cell lies within A1:Z999999, under any budget; every other `<c` or `<prefix:c` (a far
# or long ref, a repeated or missing `r`, another attribute, an error, a formula, `<col`…) is
# looked at one by one: one pass in C over the XML, Python work only for the rare cells.
RARE_CELL = re.compile(
    rb'c(?<=[<:]c)(?! r="[A-Z]\d{1,6}"(?: s="\d+")?(?: t="(?:s|n|b|str|inlineStr|d)")?'
    rb"(?:/>|>(?!<f)))"
)
NORMAL_MAX_COLUMNS, NORMAL_MAX_ROWS = 26, 999_999
TAG_REST = re.compile(rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>""")
ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
PREFIX = re.compile(rb"<[A-Za-z_][\w.-]*:$")
REF = re.compile(rb"([A-Za-z]+)(\d+)")
VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]*)</(?:[\w.-]+:)?v>")
CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s+ref\s*=\s*["']([^"']*)["']""")
# Every <row> and <c> tag, to follow cells without a reference the way python-calamine does.
TOKEN = re.compile(
    rb"""<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>"""
)


class RefusedFile(Exception):
    """The file cannot be read as a workbook; `code` and `values` make the user's message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass
class Extent:
    """The largest cell of a sheet a reader would place, as found in its XML."""

    rows: int = 0  # largest row number (1-based) of a cell with content
    columns: int = 0  # largest column number (1-based)
    row_cell: str = ""  # the cell at the largest row, e.g. "A1048576"
    column_cell: str = ""  # the cell at the largest column, e.g. "XFD1"
    dimension: str = ""  # the <dimension ref> the file declares (not trusted: cells decide)

    exact: bool = False  # False: only the cells looked at (plain ones lie within A1:Z999999)

    def add(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows, self.row_cell = row, f"{letters(column)}{row}"
        if column > self.columns:
            self.columns, self.column_cell = column, f"{letters(column)}{row}"


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


def letters(column: int) -> str:
    """16384 -> 'XFD' (any column number, even past Excel's last)."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _position(ref: bytes) -> tuple[int, int] | None:
    """b'XFD12' -> (12, 16384), as python-calamine reads a reference (lower case too)."""
    m = REF.fullmatch(ref)
    if not m:
        return None  # the reader refuses such a reference: the file fails to open, harmlessly
    column = 0
    for ch in m.group(1).upper():
        column = column * 26 + ch - 64
    return int(m.group(2)), column


def _attributes(text: bytes) -> dict[bytes, bytes]:
    """Attributes of a tag; a repeated name keeps its last value, as python-calamine does."""
    return {name: a if a or not b else b for name, a, b in ATTRIBUTE.findall(text)}


class _SheetScan:
    """Fed a worksheet's XML chunk by chunk: cells that matter, the largest one, the dimension."""

    def __init__(self, name: str, inspection: Inspection):
        self.name = name
        self.extent = Extent()
        self.errors = inspection.error_cells.setdefault(name, {})
        self.formulas = inspection.formula_cells.setdefault(name, set())
        self.irregular = False  # cells without a reference or with a prefix: see _follow
        self.head = True
        self.carry = b""

    def feed(self, chunk: bytes, last: bool = False) -> None:
        buffer = self.carry + chunk
        if last:
            cut = len(buffer)
        else:
            # Cut before the last cell's tag: every cell scanned is whole, with its content.
            cut = buffer.rfind(b"<c")
            cut = max(cut, buffer.rfind(b":c", max(cut, 0)))
            if cut <= 0:  # a long cell: cut at its last tag
                cut = buffer.rfind(b"<")
            if cut <= 0:
                # No tag starts after the first byte: the rest is text or spaces, scanned as it
                # comes once the tag it starts with is whole (a tag that never ends is kept).
                if buffer[:1] in (b"<", b":") and TAG_REST.match(buffer, 1) is None:
                    self.carry = buffer
                    return
                cut = len(buffer)
        piece, self.carry = buffer[:cut], buffer[cut:]
        if self.head:  # the dimension comes before the cells
            data_at = piece.find(b"sheetData")
            self.head = data_at < 0
            if m := DIMENSION.search(piece, 0, data_at if data_at >= 0 else len(piece)):
                self.extent.dimension = m.group(1).decode(errors="replace")
        for m in RARE_CELL.finditer(piece):
            self._rare(piece, m.start())

    def _rare(self, piece: bytes, at: int) -> None:
        after = piece[at + 1 : at + 2]
        if after not in (b" ", b"\t", b"\n", b"\r", b">", b"/"):
            return  # <col>, <cfRule>, <color>…: not a cell
        if piece[at - 1 : at] == b":":
            if PREFIX.search(piece, max(0, at - 64), at):
                self.irregular = True  # <x:c>: python-calamine reads prefixed tags too
            return
        tag = TAG_REST.match(piece, at + 1)
        if tag is None:
            return
        attrs = _attributes(tag.group(1))
        ref = attrs.get(b"r")
        if ref is None:
            self.irregular = True  # placed by counting cells and rows
            return
        position = _position(ref)
        if position is None or tag.group(1).rstrip().endswith(b"/"):
            return  # a self-closing cell has no value: no reader places it
        row, column = position
        self.extent.add(row, column)
        kind = attrs.get(b"t")
        end = CELL_END.search(piece, tag.end())
        content = piece[tag.end() : end.start() if end else len(piece)]
        value = VALUE.search(content)
        if kind == b"e" and value:
            self.errors[(row, letters(column))] = value.group(1).decode(errors="replace")
        elif content[:3] in (b"<f>", b"<f ", b"<f/") and (
            value is None or (not value.group(1).strip() and kind != b"str")
        ):
            # Written by a script (openpyxl…) and never opened in Excel: no value was computed.
            # (An empty <v> of type "str" is a formula whose result is the empty text.)
            self.formulas.add((row, letters(column)))

    def bounds_fit(self, limits: Limits) -> bool:
        """Whether the cells seen, and the plain ones not looked at, surely fit the budget."""
        if self.irregular:
            return False
        rows = max(self.extent.rows, NORMAL_MAX_ROWS)
        columns = max(self.extent.columns, NORMAL_MAX_COLUMNS)
        return (
            rows <= limits.max_sheet_rows
            and columns <= limits.max_sheet_columns
            and rows * columns <= limits.max_sheet_cells
        )


def _follow(chunks: Iterable[bytes], dimension: str) -> Extent:
    """The exact largest cell, following rows and cells as python-calamine places them.

    Slower than the scan (one Python step per cell): only for sheets whose cells need it.
    """
    extent = Extent(dimension=dimension, exact=True)
    row_index = col_index = 0  # 0-based, like the reader's counters
    carry = b""
    for chunk in [*chunks, b""]:
        buffer = carry + chunk
        cut = buffer.rfind(b"<") if chunk else len(buffer)
        if cut < 0:
            cut = 0
        piece, carry = buffer[:cut], buffer[cut:]
        for closing, name, rest in TOKEN.findall(piece):
            empty = rest.rstrip().endswith(b"/")
            if name == b"row":
                if not closing:
                    ref = _attributes(rest).get(b"r")
                    if ref and (digits := re.search(rb"\d+$", ref)):
                        row_index = int(digits.group()) - 1
                if closing or empty:
                    row_index, col_index = row_index + 1, 0
            elif not closing:
                ref = _attributes(rest).get(b"r")
                position = _position(ref) if ref else (row_index + 1, col_index + 1)
                if position is None:
                    continue
                row, column = position
                col_index = column  # the next cell without a reference comes after this one
                if not empty:
                    extent.add(row, column)
    return extent


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
        scan = _SheetScan(name, inspection)
        for chunk in inflater.chunks(info):
            scan.feed(chunk)
        scan.feed(b"", last=True)
        extent = scan.extent
        if not scan.bounds_fit(limits):
            extent = _follow(inflater.chunks(info, count=False), extent.dimension)
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
