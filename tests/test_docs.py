"""Derived documents stay in step with the definitions they come from."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_workbook_reference_page_is_up_to_date():
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    make_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_docs)
    assert make_docs.OUT.read_text(encoding="utf-8") == make_docs.render(), (
        "run python scripts/make_docs.py"
    )


def test_readme_points_inside_the_repository_for_the_contract():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme  # a clone alone must hold the contract
    assert (ROOT / "docs" / "spec.md").read_text(encoding="utf-8").count("## Indicators") == 1


def test_installed_command_runs_from_any_folder(tmp_path):
    """`pip install -e .` makes `partnerships`: its entry point, called as the installed script
    calls it, from a folder outside the clone, answers with this clone's data."""
    import os
    import subprocess
    import sys
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = project["project"]["scripts"]["partnerships"].split(":")
    out = tmp_path / "template.xlsx"
    run = subprocess.run(
        [sys.executable, "-c", f"from {module} import {function}; {function}()", "template", out],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # what the editable install adds
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 0
