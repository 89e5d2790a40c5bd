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
