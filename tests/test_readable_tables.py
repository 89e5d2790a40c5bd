"""Tables as a reader sees them: a version's rows labelled, dated in words, empty cells a dash;
the versions table with each version's review state (#17, #11)."""

from datetime import UTC, datetime

import pandas as pd
import pytest

from analytics.reference.load import load_reference
from analytics.store.history import versions_frame
from analytics.store.reviews import Review
from ui import tables


def test_a_version_s_partners_read_as_words_in_french():
    frame = pd.DataFrame(
        {
            "partner_id": ["P1", "P2"],
            "partnership_type": ["advocacy", "resource_mobilization"],
            "start_date": [pd.Timestamp("2026-03-05"), pd.NaT],
            "has_kpis": [True, False],
            "focal_point": ["Awa", None],
        }
    )
    out = tables.readable(frame, load_reference(), "fr")
    assert list(out.columns)[1:3] == ["Type de partenariat", "Date de début"]
    assert out["Type de partenariat"].tolist() == ["Plaidoyer", "Mobilisation de ressources"]
    assert out["Date de début"].tolist() == ["5 mars 2026", tables.EMPTY]
    assert out.iloc[:, 3].tolist() == ["oui", "non"]
    assert out.iloc[:, 4].tolist() == ["Awa", tables.EMPTY]


def _versions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [12, 11],
            "number": [2, 1],
            "current": [True, False],
            "status": ["committed", "committed"],
            "created_at": [datetime(2026, 12, 3, tzinfo=UTC)] * 2,
            "uploader": ["awa", "awa"],
            "file_name": ["q4.xlsx", "q3.xlsx"],
            "n_partners": [3, 3],
            "n_contributions": [5, 4],
            "restored_from": [None, None],
            "is_sample": [False, False],
        }
    )


@pytest.mark.parametrize(
    ("lang", "column", "expected"),
    [
        ("en", "Review", ["submitted", "returned by Hawa on Dec 4, 2026 — amounts in EUR?"]),
        ("fr", "Relecture", ["soumise", "renvoyée par Hawa le 4 déc. 2026 — amounts in EUR?"]),
    ],
)
def test_the_versions_table_says_each_version_s_review(lang, column, expected):
    # Version 11 was returned with a comment; version 12 has no review yet, so it is submitted.
    returned = Review(
        id=1,
        version_id=11,
        decision="returned",
        comment="amounts in EUR?",
        reviewer="Hawa",
        at=datetime(2026, 12, 4, 9, tzinfo=UTC),
    )
    out = versions_frame(_versions(), lang, {11: returned})
    assert out[column].tolist() == expected


def test_without_reviews_the_versions_table_has_no_review_column():
    assert "Review" not in versions_frame(_versions(), "en").columns
