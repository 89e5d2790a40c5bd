"""Reading a region's current version back while an upload is still being read and checked.

The comparison of an upload needs the current version's rows; reading them back takes about as
long as the database needs, and the workbook reader (Rust, Arrow) leaves Python's lock free for
much of its time. Started before the upload is read, the read-back costs little beside it. The
comparison uses it only if it is still the current version; otherwise it reads that one itself.
"""

import threading

from analytics.register.reading import Register
from analytics.store.records import Version


class ReadAhead:
    """The current version of `region` and its register, read in a thread of its own."""

    def __init__(self, store, region: str):
        self._result: tuple[int, Register] | None = None
        self._thread: threading.Thread | None = None
        url = store.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return  # an in-memory database is another, empty one in each thread
        self._thread = threading.Thread(
            target=self._read, args=(store, region), name=f"read-ahead-{region}", daemon=True
        )
        self._thread.start()

    def _read(self, store, region: str) -> None:
        try:
            current = store.current_version(region)
            if current is not None:
                self._result = (current.id, store.load_version(current.id))
        except Exception:  # noqa: BLE001 - the comparison reads the version itself
            self._result = None

    def register(self, version: Version | None) -> Register | None:
        """The register of `version` if that is what was read ahead, else None."""
        if self._thread is None:
            return None
        self._thread.join()
        if version is None or self._result is None or self._result[0] != version.id:
            return None
        return self._result[1]
