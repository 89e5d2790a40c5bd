"""Hardening, each with a test: upload limits agree, no XML entity expansion, inert exports,
no secret in the repository, XSRF protection on."""

import io
import re
import subprocess
import time
import tomllib
import zipfile

import pandas as pd
import pytest

from analytics.config import ROOT, SETTINGS
from analytics.register.reading import load_workbook
from analytics.store import audit
from tests.workbooks import valid_register

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_streamlit_upload_limit_equals_ours():
    """server.maxUploadSize (Streamlit refuses above it) is PARTNERSHIPS_MAX_UPLOAD_MB (we refuse above it)."""
    assert CONFIG["server"]["maxUploadSize"] == int(SETTINGS["PARTNERSHIPS_MAX_UPLOAD_MB"][0])


def test_xsrf_protection_stays_on_and_demo_binds_loopback():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert (
        CONFIG["server"].get("enableCORS", True) is True
    )  # turning CORS off would turn XSRF off too
    assert CONFIG["server"]["address"] == "127.0.0.1"


# --- XML entities ------------------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _poisoned(path, doctype: str, entity: str) -> bytes:
    """The workbook with a DOCTYPE in its workbook and sheet XML and an entity in a shared string."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in (
                "xl/workbook.xml",
                "xl/sharedStrings.xml",
            ) or info.filename.startswith("xl/worksheets/"):
                text = data.decode()
                text = re.sub(
                    r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + doctype, text, count=1
                )
                if info.filename == "xl/sharedStrings.xml":
                    text = text.replace("<t>", f"<t>{entity}", 1)
                data = text.encode()
            dst.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "doctype, entity", [(LAUGHS, "&lol9;"), (XXE, "&xxe;")], ids=["billion-laughs", "xxe"]
)
def test_workbook_xml_entities_are_never_expanded(tmp_path, doctype, entity):
    """A workbook whose XML defines entities is read without expanding them, or refused."""
    data = _poisoned(valid_register(tmp_path / "register.xlsx"), doctype, entity)
    started = time.perf_counter()
    result = load_workbook(data, region="RBD")
    # 10^9 "lol"s would take minutes and gigabytes; never reading them takes well under a minute.
    assert time.perf_counter() - started < 60
    cells = []
    if result.register is not None:
        for frame in (result.register.partners, result.register.contributions):
            cells += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    cells += [str(issue.value) for issue in [*result.report.errors, *result.report.warnings]]
    text = " ".join(cells)
    assert "lollollol" not in text and "root:" not in text


def test_our_own_xml_parsing_refuses_entities():
    """analytics.register.safety parses workbook XML with defusedxml, which refuses entity declarations."""
    from defusedxml import EntitiesForbidden

    from analytics.register import safety

    with pytest.raises(EntitiesForbidden):
        safety.ElementTree.fromstring(f'<?xml version="1.0"?>{LAUGHS}<workbook>&lol9;</workbook>')
    with pytest.raises(EntitiesForbidden):
        safety.ElementTree.fromstring(f'<?xml version="1.0"?>{XXE}<workbook>&xxe;</workbook>')


# --- exports -----------------------------------------------------------------------------------

FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://evil","x")']


def test_audit_csv_neutralises_formulas():
    frame = pd.DataFrame({"subject": FORMULAS, "detail": ["plain"] * len(FORMULAS)})
    back = pd.read_csv(io.BytesIO(audit.to_csv(frame)), encoding="utf-8-sig")
    assert back["subject"].tolist() == ["'" + f for f in FORMULAS]
    assert back["detail"].tolist() == ["plain"] * len(FORMULAS)


def test_table_downloads_neutralise_formulas():
    """CSV and XLSX downloads of tables (analytics.downloads) never carry a live formula."""
    downloads = pytest.importorskip(
        "analytics.downloads", reason="analytics.downloads is not in this tree yet"
    )
    from openpyxl import load_workbook as open_xlsx

    frame = pd.DataFrame({"partner_name": FORMULAS})
    csv = pd.read_csv(io.BytesIO(downloads.to_csv(frame)), encoding="utf-8-sig")
    assert not csv["partner_name"].str.match(r"^[=+\-@]").any()
    sheet = open_xlsx(io.BytesIO(downloads.to_xlsx(frame))).active
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert values and all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in values)


def test_annotated_workbook_writes_typed_formulas_as_text(tmp_path):
    """The Errors sheet of the annotated copy shows '=HYPERLINK(…)' as typed, never as a formula."""
    from openpyxl import load_workbook as open_xlsx

    from analytics.register.annotate import annotated_workbook

    path = valid_register(tmp_path / "f.xlsx")
    book = open_xlsx(path)
    # Text a user typed (Excel keeps '=…' typed after an apostrophe as text): strings in the XML.
    for sheet, ref, text in (("Partners", "C2", FORMULAS[4]), ("Contributions", "H2", FORMULAS[3])):
        book[sheet][ref].value = text
        book[sheet][ref].data_type = "s"
    book.save(path)
    result = load_workbook(path, region="RBD")
    assert {i.code for i in result.report.errors} >= {"unknown_code", "bad_country"}
    book = open_xlsx(io.BytesIO(annotated_workbook(path.read_bytes(), result.report)))
    errors = book["Errors"]
    cells = [c for row in errors.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULAS[4] in values and "'" + FORMULAS[3] in values  # as typed, inert


# --- secrets -----------------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "assigned secret": re.compile(
        # A value of 8+ characters with a digit: "Password" (a label) is not a secret, "hunter22" is.
        r"""(?i)\b(password|passwd|secret|cookie_secret|client_secret|api_key|token)\s*=\s*"""
        r"""["'](?=[^"']*\d)[^"'<>{}$\s]{8,}["']"""
    ),
    "URL with a password": re.compile(r"\b[a-z+]+://[^/\s:@'\"]+:[^/\s@'\"<>{}$]{3,}@"),
    "argon2 hash": re.compile(r"\$argon2id?\$v=\d+\$m=\d+"),
}


def _tracked_files() -> list[str]:
    done = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("not a git work tree")
    return done.stdout.splitlines()


def test_no_secret_in_the_repository():
    """No tracked file holds a private key, a password, a token or a password hash."""
    found = []
    for name in _tracked_files():
        path = ROOT / name
        if not path.is_file() or path.suffix in (".xlsx", ".png", ".pdf", ".pptx", ".db"):
            continue
        text = path.read_text(errors="ignore")
        for label, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                found.append(f"{name}: {label}: {match.group(0)[:40]}")
    assert found == []


def test_secrets_and_local_state_are_ignored_by_git():
    names = [".streamlit/secrets.toml", "var/users.toml", "var/partnerships.db"]
    done = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.split() == names
    assert not set(names) & set(_tracked_files())


def test_the_command_line_user_cannot_be_chosen_through_the_environment(monkeypatch):
    """USER and LOGNAME name anyone: the CLI's acting user is the account of its user id."""
    import os
    import pwd

    from analytics.accounts import cli as accounts_cli

    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "hq.admin")
    assert accounts_cli.os_login() == pwd.getpwuid(os.geteuid()).pw_name != "hq.admin"
