"""A damaged reference file (issue #18, point 7) is checked on load like an admin's save: the CLI
says which file, row and problem and exits 2; a page says it in one sentence; the admin's
reference page still opens, lists what to correct and saves the corrected file."""

import os
import shutil
import subprocess
import sys

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics.access.roles import ADMIN, User
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.reference.refcheck import ReferenceDataError
from analytics.services import refdata
from analytics.store.versions import open_store
from analytics.text import plain
from tests.conftest import ROOT

FILE = "exchange_rates.csv"


def _rates():
    return refdata.read_csv((ROOT / "data" / "reference" / FILE).read_bytes())


def _row(frame, currency="EUR", year="2024") -> int:
    """The file's row number (the header is row 1) of a currency and year."""
    (index,) = frame.index[(frame["currency"] == currency) & (frame["year"] == year)]
    return int(index) + 2


def _rate(value: str):
    frame = _rates()
    frame.loc[frame.index[_row(frame) - 2], "usd_per_unit"] = value
    return refdata.to_csv(frame), [
        t("refadmin.problem.positive", "en", row=_row(frame), column="usd_per_unit", value=value)
    ]


def _duplicated():
    frame = _rates()
    doubled = frame.iloc[[_row(frame) - 2]]
    text = refdata.to_csv(frame) + refdata.to_csv(doubled).split("\n", 1)[1]
    return text, [t("refadmin.problem.duplicate", "en", row=len(frame) + 2, what="EUR / 2024")]


def _missing_column():
    return refdata.to_csv(_rates().drop(columns="usd_per_unit")), [
        t("refadmin.problem.missing_columns", "en", columns="usd_per_unit", count=1)
    ]


# name -> (the file's bytes or text, the problem sentences expected in English)
DAMAGE = {
    "rate 0": lambda: _rate("0"),
    "rate -1": lambda: _rate("-1"),
    "rate inf": lambda: (
        _rate("inf")[0],
        [
            t(
                "refadmin.problem.number",
                "en",
                row=_row(_rates()),
                column="usd_per_unit",
                value="inf",
            )
        ],
    ),
    "duplicated currency-year": _duplicated,
    "missing column": _missing_column,
    "not UTF-8": lambda: (b"\xff\xfe\x00c\x00u\x00r", None),
    "garbage": lambda: ('currency,year,usd_per_unit\n"EUR,2024,1.1\nUSD,2024,1\n', None),
}


@pytest.fixture(params=list(DAMAGE))
def damaged(request, seeded, tmp_path, monkeypatch):
    """A copy of the sample store, and a reference folder whose exchange_rates.csv is damaged:
    (store URL, the problem sentences, or None when only "unreadable" can be said)."""
    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", folder)
    content, expected = DAMAGE[request.param]()
    if isinstance(content, bytes):
        (folder / FILE).write_bytes(content)
    else:
        (folder / FILE).write_text(content, encoding="utf-8")
    shutil.copy(seeded, tmp_path / "store.db")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(tmp_path / "users.toml"))  # demo admin
    st.cache_resource.clear()
    st.cache_data.clear()
    return url, expected


def _message(expected: list[str] | None, lang: str = "en") -> str | None:
    if expected is None:
        return None
    return t("reference_error.invalid", lang, file=FILE, problems=" ".join(expected))


def test_the_loader_names_the_file_and_the_problem(damaged):
    _, expected = damaged
    with pytest.raises(ReferenceDataError) as raised:
        load_reference()
    assert raised.value.file == FILE
    if expected is None:
        assert raised.value.problems() == [
            t("reference_error.unreadable", "en", detail=raised.value.found[0][1]["detail"])
        ]
    else:
        assert raised.value.problems() == expected
        assert raised.value.message("en") == _message(expected)


@pytest.mark.parametrize("empty_store", [False, True])
def test_the_cli_says_which_file_and_row_and_exits_2(
    damaged, capsys, tmp_path, monkeypatch, empty_store
):
    url, expected = damaged
    if empty_store:  # the samples are read against the reference data too
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(ROOT / "data" / "sample"))
    assert cli.main(["indicators", "--db", url]) == 2
    err = capsys.readouterr().err
    assert FILE in err and "Traceback" not in err
    if expected is not None:
        assert err.strip() == f"error: {_message(expected)}"
    assert cli.main(["export", str(tmp_path / "deck.pdf"), "--db", url, "--lang", "fr"]) == 2
    assert FILE in capsys.readouterr().err
    assert not (tmp_path / "deck.pdf").exists()


def test_a_subprocess_exits_2_without_a_traceback(damaged, tmp_path):
    url, expected = damaged
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "indicators", "--db", url],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert FILE in result.stderr and "Traceback" not in result.stderr
    if expected is not None:
        assert expected[0] in result.stderr


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    if page != "app_pages/dashboards/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/dashboards/overview.py",
        "app_pages/dashboards/board.py",
        "app_pages/data/data_quality.py",
        "app_pages/data/upload.py",
    ],
)
def test_a_page_says_it_in_one_sentence(damaged, page):
    _, expected = damaged
    at = _open(page)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and FILE.replace(".", "\\.").replace("_", "\\_") in errors[0]
    assert t("ui.unexpected_error", "en") not in errors
    if expected is not None:
        assert errors == [plain(_message(expected))]


def test_the_reference_page_opens_lists_the_problems_and_saves_the_fix(damaged):
    url, expected = damaged
    at = _open("app_pages/admin/reference_admin.py")
    at.selectbox(key="refadmin_file").set_value("exchange_rates").run()
    assert not at.exception
    assert at.title[0].value == t("refadmin.title", "en")
    assert at.button(key="refadmin_save")  # the admin can save a corrected file
    shown = [w.value for w in at.warning] + [e.value for e in at.error]
    assert shown  # what is wrong with the file in force
    if expected is not None:
        assert any(plain(expected[0]) in x for x in shown)

    store = open_store(url)
    assert refdata.save(store, User("root", ADMIN), "exchange_rates", _rates()) is not None
    store.close()
    assert len(load_reference().exchange_rates) == len(_rates())
    at.switch_page("app_pages/dashboards/overview.py").run()
    assert not at.exception and not at.error and at.metric  # the indicators are back
