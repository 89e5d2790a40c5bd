"""The benchmarks still run: each script under bench/ on a tiny register, whole process.

They print figures and assert nothing (speed is never a timed test), so a change of an API they
call would otherwise go unseen until someone wants the figures (the ingest benchmark once broke
that way). Here only that they finish and print their lines is checked, not how fast.
bench_pages.py is left out: it starts servers and a browser per page, the browser tests cover that.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "bench_read.py": (
        ["--contributions", "300", "--partners", "30", "--repeat", "1"],
        "ratio ours / raw",
    ),
    "bench_ingest.py": (["--contributions", "300", "--partners", "30"], "full ingest"),
    "bench_indicators.py": (["40", "400"], "CACHED overview + its figures"),
    "bench_tables.py": (["40", "400"], "tables.dataframe"),
}


@pytest.mark.parametrize("script", sorted(CASES))
def test_benchmark_runs_on_a_tiny_register(script, tmp_path):
    args, expected = CASES[script]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout
