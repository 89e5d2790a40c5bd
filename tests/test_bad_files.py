"""Every kind of bad file a focal point may send gets a clear message and exit status 2, never a traceback.

The files are real: a PDF and a CSV renamed .xlsx, a truncated and a corrupted zip, a legacy .xls
(xlwt), an .ods (pandas' odf writer), a password-protected workbook (msoffcrypto-tool), empty
workbooks, missing sheets and columns, a file over the size limit and decompression bombs.
"""

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile

from analytics.cli import main as cli_main
from analytics.config import Limits
from analytics.register.messages import message
from analytics.register.reading import load_workbook
from tests.workbooks import (
    CONTRIBUTION_HEADER,
    PARTNER_HEADER,
    contribution,
    partner,
    valid_register,
    write,
)

ROOT = Path(__file__).resolve().parent.parent


def refused(source, lang="en", **kw) -> str:
    """Load a bad file; assert it is refused as unreadable and return its one message."""
    result = load_workbook(source, region="RBD", **kw)
    assert result.report.unreadable
    assert result.register is None
    assert result.report.exit_code() == 2
    assert len(result.report.errors) == 1
    return message(result.report.errors[0], lang)


def test_pdf_renamed_xlsx(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    assert refused(path) == (
        "This file is not an Excel workbook (it looks like a PDF file). Save it from Excel as .xlsx."
    )
    # The kind of file is a code, named in the reader's language (not an English word in French).
    assert "(on dirait un fichier PDF)" in refused(path, "fr")


def test_csv_renamed_xlsx(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("partner_id,partner_name\nP1,Sonatel\n", encoding="utf-8")
    message = refused(path)
    assert "CSV" in message and ".xlsx" in message


def test_truncated_zip(tmp_path):
    data = valid_register(tmp_path / "ok.xlsx").read_bytes()
    assert "damaged or incomplete" in refused(data[: len(data) // 2])


def test_corrupted_zip_member(tmp_path):
    data = bytearray(valid_register(tmp_path / "ok.xlsx").read_bytes())
    # Overwrite the middle of the compressed data (not the directory): the CRC or inflate fails.
    middle = len(data) // 3
    data[middle : middle + 200] = b"\x00" * 200
    assert "damaged or incomplete" in refused(bytes(data))


def test_legacy_xls(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Partners")
    for j, name in enumerate(PARTNER_HEADER):
        sheet.write(0, j, name)
    path = tmp_path / "register.xls"
    book.save(str(path))
    assert "97–2003 (.xls)" in refused(path)


def test_ods(tmp_path):
    path = tmp_path / "register.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([partner("P1")], columns=PARTNER_HEADER).to_excel(
            writer, sheet_name="Partners", index=False
        )
    assert "OpenDocument (.ods)" in refused(path)


def test_encrypted_workbook(tmp_path):
    plain = valid_register(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as f:
        OOXMLFile(f).encrypt("s3cret", out)
    assert (
        out.getvalue()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    )  # really an encrypted OLE container
    assert "protected by a password" in refused(out.getvalue())


def test_empty_workbook(tmp_path):
    book = openpyxl.Workbook()  # one empty sheet, as Excel's "new workbook"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    assert "has no data" in refused(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    message = refused(path)
    assert "not an Excel workbook" in message or "no data" in message


def test_missing_sheet_names_it_and_the_accepted_names(tmp_path):
    path = write(tmp_path / "r.xlsx", {"Partners": [PARTNER_HEADER, partner("P1")]})
    message = refused(path)
    assert "'Contributions' is missing" in message


def test_missing_required_column_names_column_and_sheet(tmp_path):
    header = [c for c in CONTRIBUTION_HEADER if c != "amount"]
    row = contribution("C1")
    del row[CONTRIBUTION_HEADER.index("amount")]
    path = write(
        tmp_path / "r.xlsx",
        {"Partners": [PARTNER_HEADER, partner("P1")], "Contributions": [header, row]},
    )
    message = refused(path)
    assert "'amount'" in message and "'Contributions'" in message


def test_missing_column_message_in_french(tmp_path):
    header = [c for c in PARTNER_HEADER if c != "partner_name"]
    row = partner("P1")
    del row[PARTNER_HEADER.index("partner_name")]
    path = write(
        tmp_path / "r.xlsx",
        {"Partenaires": [header, row], "Contributions": [CONTRIBUTION_HEADER, contribution()]},
    )
    message = refused(path, lang="fr")
    assert "colonne" in message.lower() and "partner_name" in message


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = valid_register(tmp_path / "r.xlsx")
    size = path.stat().st_size
    message = refused(path, limits=Limits(max_upload_bytes=size - 1, max_inflated_bytes=10**9))
    assert "the limit is" in message


def _bomb_bytes(tmp_path: Path, inflated_mb: int) -> bytes:
    """A real register whose first sheet's XML is padded to inflate to `inflated_mb` MB (~1000:1)."""
    source = zipfile.ZipFile(valid_register(tmp_path / "ok.xlsx"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                padding = b" " * (
                    inflated_mb * 1024 * 1024
                )  # whitespace is valid XML between elements
                data = data.replace(b"<sheetData>", b"<sheetData>" + padding, 1)
            zf.writestr(item.filename, data)
    return buffer.getvalue()


def _lie_about_sizes(data: bytes, member: str, claimed: int) -> bytes:
    """Rewrite the uncompressed size the zip declares for `member` (local header and directory)."""
    out = bytearray(data)
    name = member.encode()
    at = out.find(b"PK")
    while at != -1:
        if out[at : at + 4] == b"PK\x03\x04":
            name_len = struct.unpack_from("<H", out, at + 26)[0]
            if out[at + 30 : at + 30 + name_len] == name:
                struct.pack_into("<I", out, at + 22, claimed)
        elif out[at : at + 4] == b"PK\x01\x02":
            name_len = struct.unpack_from("<H", out, at + 28)[0]
            if out[at + 46 : at + 46 + name_len] == name:
                struct.pack_into("<I", out, at + 24, claimed)
        at = out.find(b"PK", at + 4)
    return bytes(out)


def test_decompression_bomb_is_refused_before_it_is_inflated(tmp_path):
    data = _bomb_bytes(tmp_path, inflated_mb=40)
    assert len(data) < 1024 * 1024  # small on disk…
    message = refused(
        data, limits=Limits(max_upload_bytes=50 * 1024 * 1024, max_inflated_bytes=8 * 1024 * 1024)
    )
    assert "more than 8 MB" in message  # …refused at the 8 MB cap, never inflated to 40 MB


def test_decompression_bomb_that_lies_about_its_size(tmp_path):
    # The zip directory claims 1 KB: a check of declared sizes alone would let it through. Our
    # reader stops at the declared size, so the CRC fails: refused either way, never inflated.
    data = _lie_about_sizes(_bomb_bytes(tmp_path, inflated_mb=40), "xl/worksheets/sheet1.xml", 1024)
    message = refused(
        data, limits=Limits(max_upload_bytes=50 * 1024 * 1024, max_inflated_bytes=8 * 1024 * 1024)
    )
    assert "more than 8 MB" in message or "damaged" in message


def test_cli_exit_2_with_message_and_no_traceback(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"%PDF-1.7\n")
    run = subprocess.run(
        [sys.executable, "-m", "analytics", "validate", str(path), "--lang", "fr"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 2
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert "n'est pas un classeur Excel" in output


def test_cli_size_limit_from_the_environment(tmp_path, monkeypatch, capsys):
    path = valid_register(tmp_path / "r.xlsx")
    monkeypatch.setenv("PARTNERSHIPS_MAX_UPLOAD_MB", str(path.stat().st_size / 2 / 1024 / 1024))
    assert cli_main(["validate", str(path), "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0]["code"] == "file_too_large"


def test_cli_missing_file_is_bad_usage(tmp_path, capsys):
    missing = tmp_path / "nope.xlsx"
    assert cli_main(["validate", str(missing)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    # Said as it is (not "damaged or incomplete (FileNotFoundError)"), and with no location the
    # line has no empty ": " before the message.
    assert f"ERROR: There is no file at {missing}. Check the name and the folder." in captured.out
    assert cli_main(["validate", str(missing), "--lang", "fr"]) == 2
    assert f"ERREUR\u00a0: Aucun fichier à l'emplacement {missing}." in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["validate"], ["validate", "x.xlsx", "--format", "yaml"], ["frobnicate"]]
)
def test_cli_bad_usage_is_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(argv)
    assert exc.value.code == 2
