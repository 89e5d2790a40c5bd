"""An upload cut off mid-way (process killed after the file was kept) does not stay "received"."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from analytics.access.roles import ADMIN, User
from analytics.store.history import outcome
from analytics.store.tables import uploads
from analytics.store.uploads import INTERRUPTED_AFTER

HQ = User("hq", ADMIN)


def _age(store, upload_id: int, by: timedelta) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(uploads)
            .where(uploads.c.id == upload_id)
            .values(uploaded_at=datetime.now(UTC) - by)
        )


def test_a_stuck_upload_reads_as_interrupted_and_is_marked_so(store):
    """Older than INTERRUPTED_AFTER: shown interrupted; the region's next upload records it."""
    stuck = store.record_upload("RBD", "a.xlsx", b"a", "Awa", user=HQ)
    fresh = store.record_upload("RBN", "b.xlsx", b"b", "Kim", user=HQ)
    _age(store, stuck, INTERRUPTED_AFTER + timedelta(minutes=1))
    _age(store, fresh, INTERRUPTED_AFTER - timedelta(minutes=5))
    shown = store.uploads(user=HQ).set_index("id")["status"]
    assert shown[stuck] == "interrupted" and shown[fresh] == "received"
    assert outcome("interrupted", "fr").startswith("interrompu")
    store.record_upload("RBD", "c.xlsx", b"c", "Awa", user=HQ)
    with store.engine.connect() as conn:
        stored = dict(conn.execute(sa.select(uploads.c.id, uploads.c.status)).fetchall())
    assert stored[stuck] == "interrupted" and stored[fresh] == "received"
