"""`python -m analytics indicators` on a real SQLite store holding the hand-worked register."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analytics.access.roles import ADMIN, User
from analytics.store.versions import open_store
from tests import cli
from tests.registers import register
from tests.test_indicators import CONTRIBUTIONS, PARTNERS, write_reference

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A store with the RBD and RBN registers of tests/test_indicators.py, and its reference files."""
    tmp = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{tmp / 'store.db'}"
    store = open_store(url)
    for region in ("RBD", "RBN"):
        partners = [p for p in PARTNERS if p["region"] == region]
        ids = {p["partner_id"] for p in partners}
        reg = register(partners, [c for c in CONTRIBUTIONS if c["partner_id"] in ids], region)
        hq = User("hq", ADMIN)
        upload = store.record_upload(region, f"{region}.xlsx", region.encode(), "test", user=hq)
        store.commit(region, reg, upload_id=upload, uploader="test", expected_number=0, user=hq)
    store.close()
    environ = dict(os.environ)
    environ["PARTNERSHIPS_REFERENCE_DIR"] = str(write_reference(tmp / "reference"))
    environ["PARTNERSHIPS_DB_PATH"] = str(tmp / "unused.db")
    environ.pop("DATABASE_URL", None)
    return url, environ


def run(env, *args, child=False) -> subprocess.CompletedProcess:
    """`python -m analytics indicators --db URL ARGS`, in this process unless `child`."""
    url, environ = env
    return cli.run(["indicators", "--db", url, *args], environ, child=child)


def test_json_total(env):
    """One row, the hand-worked 2024 totals; a share with no data would be null."""
    result = run(env, "--year", "2024", "--format", "json", child=True)  # the real command
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert row["year"] == 2024
    assert row["active_partners"] == 5  # A, B, D, E, G
    assert row["contributions_usd"] == pytest.approx(
        9300.0
    )  # 1000 + 2200 (EUR) + 1100 (EUR) + 5000
    assert row["retention_rate"] == pytest.approx(2 / 3)  # A, E of {A, C, E}
    assert row["private_share_of_budget"] == pytest.approx(7100 / 10e6)


def test_csv_by_region_and_type(env):
    """One row per (region, type), one column per indicator id; no data is an empty cell."""
    result = run(env, "--year", "2024", "--by", "region,partnership_type", "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) == 24
    assert list(table.columns[:3]) == ["region", "partnership_type", "year"]
    rbn = table[(table.region == "RBN") & (table.partnership_type == "resource_mobilization")].iloc[
        0
    ]
    assert rbn["contributions_usd"] == pytest.approx(5000.0)
    rbd_adv = table[(table.region == "RBD") & (table.partnership_type == "advocacy")].iloc[0]
    assert rbd_adv["contributions_usd"] == pytest.approx(
        1100.0
    )  # c5 typed advocacy on the contribution
    assert pd.isna(rbd_adv["due_diligence_coverage"])  # no active advocacy partner


def test_default_year_is_the_latest_with_data(env):
    """c8 is dated 2025: the latest year with data (today is later)."""
    result = run(env, "--by", "region")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout)).set_index("region")
    assert set(table["year"]) == {2025}
    assert table.loc["RBD", "contributions_usd"] == pytest.approx(700.0)


def test_bad_grouping_is_usage_error(env):
    result = run(env, "--by", "country")
    assert result.returncode == 2
    assert "region,partnership_type" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_store_shows_the_samples_like_the_app_without_writing(tmp_path):
    """An empty store: the numbers of the samples the app would seed, and the store stays empty."""
    empty, seeded = f"sqlite:///{tmp_path / 'empty.db'}", f"sqlite:///{tmp_path / 'seeded.db'}"
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ["PARTNERSHIPS_DB_PATH"] = str(tmp_path / "unused.db")
    out = {}
    for url in (empty, seeded):
        if url == seeded:  # what the app does when it opens an empty store
            store = open_store(url)
            assert store.seed_samples_if_empty()
            store.close()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "analytics",
                "indicators",
                "--db",
                url,
                "--year",
                "2025",
                "--format",
                "json",
            ],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert ("sample" in result.stderr) == (
            url == empty
        )  # said on stderr, not mixed with the table
        out[url] = json.loads(result.stdout)
    assert out[empty] == out[seeded]
    assert out[empty][0]["active_partners"] > 0
    store = open_store(empty)
    assert store.is_empty()
    store.close()
