"""`python -m analytics summary` on a real SQLite store holding the register of tests/test_story.py."""

import json
import os
import subprocess
import sys

import pytest

from analytics import cli
from analytics.access.roles import ADMIN, User
from analytics.i18n import t
from analytics.store.versions import open_store
from tests.conftest import ROOT
from tests.registers import register
from tests.test_story import PARTNERS, gifts, write_reference

EN_2024 = [
    "Contributions reached $8,000 in 2024, up $3,000 (+60.0%) on 2023, mostly from RBN (+$4,500).",
    "1 partner who gave in 2023 has not given in 2024 (LYBUNT): Partner C.",
    "1 new partnership started in 2024 (RBN 1).",
    "Due diligence coverage fell to 75.0% in 2024, from 100.0% in 2023 (−25 pts).",
    "RBD (2.5% against 5.0%) is below its target for the private share of budget in 2024.",
]


@pytest.fixture(scope="module")
def store_env(tmp_path_factory):
    """The RBD and RBN registers of the story's fixture committed to a store; its reference."""
    tmp = tmp_path_factory.mktemp("story_cli")
    url = f"sqlite:///{tmp / 'store.db'}"
    store = open_store(url)
    contributions = gifts()
    for region in ("RBD", "RBN"):
        partners = [p for p in PARTNERS if p["region"] == region]
        ids = {p["partner_id"] for p in partners}
        reg = register(partners, [c for c in contributions if c["partner_id"] in ids], region)
        hq = User("hq", ADMIN)
        upload = store.record_upload(region, f"{region}.xlsx", region.encode(), "Awa", user=hq)
        store.commit(region, reg, upload_id=upload, uploader="Awa", expected_number=0, user=hq)
    store.close()
    return url, str(write_reference(tmp / "reference"))


@pytest.fixture
def db(store_env, monkeypatch):
    url, reference = store_env
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", reference)
    return url


def _run(argv, capsys) -> tuple[int, str, str]:
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_subprocess_json(store_env):
    """The installed command: JSON items with the five fields, the hand-worked numbers."""
    url, reference = store_env
    env = dict(os.environ, PARTNERSHIPS_REFERENCE_DIR=reference)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "summary", "--db", url, "--year", "2024",
         "--format", "json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["text"] for i in items] == EN_2024
    assert items[0] == {
        "indicator": "contributions_usd",
        "value": 8000,
        "previous": 5000,
        "groups": ["RBN"],
        "text": EN_2024[0],
    }
    assert items[1]["groups"] == ["Partner C"] and items[1]["value"] == 1


def test_text_is_one_sentence_a_line(db, capsys):
    """Text: the sentences in order; the latest year with data (2024) by default."""
    status, out, _ = _run(["summary", "--db", db], capsys)
    assert status == 0
    assert out.splitlines() == EN_2024


def test_region_and_french(db, capsys):
    """--region narrows the view (codes in any case); --lang fr writes French."""
    status, out, _ = _run(["summary", "--db", db, "--region", "rbn", "--lang", "fr"], capsys)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Les contributions ont atteint 5\u202f500\xa0$ en 2024, en hausse de 4\u202f500\xa0$ "
        "(+450,0\xa0%) par rapport à 2023."
    )
    assert not any("Partner C" in line for line in lines)  # C is in RBD


def test_nothing_to_say_is_said(db, capsys):
    """2023 in RBN has only a first year: the total; an empty JSON list is still a list."""
    status, out, _ = _run(["summary", "--db", db, "--year", "2023", "--region", "RBN"], capsys)
    assert status == 0 and out.splitlines()[0].startswith("Contributions reached $1,000 in 2023")


def test_a_year_with_no_data_is_the_empty_view(db, capsys):
    """As `indicators` and `export` answer it: exit 0, a note, and an empty story."""
    status, out, err = _run(["summary", "--db", db, "--year", "1990", "--format", "json"], capsys)
    assert status == 0 and "no data for 1990; years with data:" in err
    items = json.loads(out)
    assert all(item["value"] in (0, None) for item in items), items


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "XYZ"], "unknown region 'XYZ'"),
        (["--format", "csv"], "invalid choice"),
        (["--lang", "de"], "invalid choice"),
        (["--year", "soon"], "invalid int value"),
    ],
)
def test_bad_usage_is_status_2(db, capsys, args, message):
    status, out, err = _run(["summary", "--db", db, *args], capsys)
    assert status == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_unreadable_store_is_status_2(tmp_path, capsys):
    status, _, err = _run(["summary", "--db", "postgresql://nobody@127.0.0.1:1/none"], capsys)
    assert status == 2 and "cannot read the store" in err


def test_empty_store_reads_the_samples(tmp_path, capsys):
    """An empty store: the samples, as `export` and `indicators` show them, with the note."""
    status, out, err = _run(["summary", "--db", f"sqlite:///{tmp_path / 'none.db'}"], capsys)
    assert status == 0 and t("indicators_cli.empty_store", "en") in err
    assert out.strip() and not (tmp_path / "none.db").exists()
