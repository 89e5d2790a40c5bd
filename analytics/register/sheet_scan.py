"""Following a worksheet's XML chunk by chunk: the largest cell used, error cells, formulas without values.

Used by analytics.register.safety before any reader opens the sheet: python-calamine allocates
rows × columns up to the largest cell, and Excel errors and formulas saved without a computed
value are read as empty, so they are found here, in the raw XML.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analytics.config import Limits

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


class SheetScan:
    """Fed a worksheet's XML chunk by chunk: cells that matter, the largest one, the dimension."""

    def __init__(self, name: str, inspection):  # an analytics.register.safety.Inspection
        self.name = name
        self.extent = Extent()
        self.errors = inspection.error_cells.setdefault(name, {})
        self.formulas = inspection.formula_cells.setdefault(name, set())
        self.irregular = False  # cells without a reference or with a prefix: see follow_cells
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


def follow_cells(chunks: Iterable[bytes], dimension: str) -> Extent:
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
