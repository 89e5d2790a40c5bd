"""French punctuation (issue #17): a no-break space before ":" and a narrow one before ";", "!" and
"?", in the French messages and in the lines the code builds from them ("Période : 2026")."""

import re
from datetime import UTC, date, datetime

from analytics import indicators as ind
from analytics.board import slides
from analytics.board.evidence import Vintage
from analytics.i18n import catalogue, labelled
from analytics.reference.load import load_reference
from tests.conftest import ROOT

# A ":" ";" "!" "?" ending a word (followed by a space or the end) without a no-break space
# before it: "Période: 2026", "Période : 2026" (a plain space, where a line may break).
BARE = re.compile("(?<![\u00a0\u202f])[:;!?](?=\\s|$)")


def bare(text: str) -> list[str]:
    return [text[max(m.start() - 20, 0) : m.end() + 10] for m in BARE.finditer(text)]


def test_every_french_message_puts_a_no_break_space_before_high_punctuation():
    found = {k: bare(v) for k, v in catalogue("fr").items() if bare(v)}
    assert not found, found
    # The check sees what it should: plain spaces and none are both caught.
    assert bare("Période: 2026") and bare("Période : 2026") and bare("En retard ?")
    assert not bare("Période\u00a0: 2026") and not bare("10:30, ?lang=fr, En retard\u202f?")


def test_a_label_and_its_value_are_punctuated_as_the_language_does():
    assert labelled("Period", 2026, "en") == "Period: 2026"
    assert labelled("Période", 2026, "fr") == "Période\u00a0: 2026"


def test_the_french_deck_s_evidence_notes_and_appendix_have_no_bare_colon(tmp_path):
    from analytics.store.versions import open_store

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.seed_samples_if_empty(ROOT / "data" / "sample")
    prepared = ind.prepare(*store.load_current(), load_reference())
    store.close()
    today = date(2026, 6, 30)
    uploaded = datetime(2026, 6, 1, tzinfo=UTC)
    vintage = [Vintage(r, 1, "awa", uploaded, "upload", "approved") for r in prepared.regions]
    deck = slides.build_deck(prepared, 2025, None, "fr", today, vintage)
    assert any(line.startswith("Période\u00a0: ") for line in deck.evidence)
    texts = [*deck.evidence, deck.footer]
    for s in deck.slides:
        texts += [s.title, s.subtitle, s.note, s.notes, *s.items]
        texts += [f"{a} {b}" for a, b in s.rows]  # the appendix: name, definition
    found = [b for text in texts if text for b in bare(text)]
    assert not found, found
