"""A store this process may only read can still be read (issue #18, point 10): the numbers are
shown, nothing is upgraded or written, and a write is refused with a clear message.

The real check drops privileges: the tests run as root, who may write any file, so a forked
child becomes `nobody` before reading a copy chmod'd read-only in a folder it cannot write.
(`runuser -u nobody -- python …` cannot start this interpreter: it lives under /root, 0700.)
"""

import hashlib
import io
import os
import pwd
import shutil
import stat
import tempfile
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics.access.roles import ADMIN, User
from analytics.i18n import t
from analytics.services import ingest
from analytics.store.engine import ReadOnlyStore
from analytics.store.versions import open_store
from tests.conftest import ROOT
from tests.postgres import SAMPLE_DIR

HQ = User("hq", ADMIN)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def seeded_file() -> Path:
    """A store file holding the six samples, in a folder anyone may enter."""
    folder = Path(tempfile.mkdtemp(prefix="ro-store-", dir="/tmp"))
    os.chmod(folder, 0o755)
    store = open_store(f"sqlite:///{folder / 'store.db'}")
    store.seed_samples_if_empty(SAMPLE_DIR)
    store.close()
    yield folder / "store.db"
    for path in folder.rglob("*"):  # give write access back so the folder can be removed
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def _read_only_copy(seeded_file: Path, name: str) -> Path:
    """A copy of the store (the file only: no -wal or -shm beside it), read-only in a folder
    that can be entered and listed but not written."""
    folder = seeded_file.parent / name
    folder.mkdir()
    copy = folder / "store.db"
    shutil.copyfile(seeded_file, copy)
    os.chmod(copy, 0o444)
    os.chmod(folder, 0o555)
    return copy


def _run(*argv: str) -> tuple[int, str]:
    """`python -m analytics ARGV` in this interpreter: exit status and output."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


@pytest.fixture(autouse=True, scope="module")
def code_readable_by_anyone():
    """The other account must read this clone's code, locales and packages as a deployment's
    would (a checkout in a private temporary folder, 0700, is not): the folders above ROOT
    that others cannot enter are opened (read and enter only) for these tests, then closed."""
    opened = []
    if os.geteuid() == 0:
        for folder in [ROOT, *ROOT.parents]:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                os.chmod(folder, mode | stat.S_IROTH | stat.S_IXOTH)
                opened.append((folder, mode))
    yield
    for folder, mode in opened:
        os.chmod(folder, stat.S_IMODE(mode))


def _as_reader(*argv: str) -> tuple[int, str]:
    """`python -m analytics ARGV` in this interpreter, as an account that may only read the
    copy: `nobody` in a forked child when this process is root, else this account itself."""

    def run() -> tuple[int, str]:
        return _run(*argv)

    if os.geteuid() != 0:
        return run()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run, send back the exit status and the output
        os.close(read)
        try:
            nobody = pwd.getpwnam("nobody")
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            code, text = run()
            message = f"{code}\n{text}"
        except BaseException:  # noqa: BLE001 - the parent asserts on what is sent back
            message = "99\n" + traceback.format_exc()
        os.write(write, message.encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    code, _, text = data.decode().partition("\n")
    return int(code), text


def test_an_account_that_cannot_write_the_store_still_reads_its_numbers(seeded_file, monkeypatch):
    """`indicators --db` on a read-only copy in a read-only folder prints what the writable
    store gives; `ingest` into it is refused in the user's language, not with a traceback."""
    # The session's reference folder is in pytest's private temporary folder: one `nobody` reads.
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(seeded_file.parent / "reference"))
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(seeded_file.parent / "users.toml"))
    copy = _read_only_copy(seeded_file, "indicators")
    before = _digest(copy)
    url = f"sqlite:///{copy}"
    expected_code, expected = _run("indicators", "--db", f"sqlite:///{seeded_file}")  # as root
    assert expected_code == 0 and expected.startswith("year,"), expected

    code, text = _as_reader("indicators", "--db", url)
    assert (code, text) == (0, expected)

    sample = SAMPLE_DIR / "RBD.xlsx"
    code, text = _as_reader(
        "ingest", str(sample), "--region", "RBD", "--db", url, "--yes", "--lang", "fr"
    )
    assert code == 2, text
    assert t("ingest.read_only", "fr", store=str(copy)) in text
    assert "Traceback" not in text
    # Nothing was written: not the file, and no journal beside it.
    assert _digest(copy) == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["store.db"]
    assert not copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_a_store_opened_read_only_reads_everything_and_refuses_writes_clearly(seeded_file):
    """A `file:…?mode=ro` URL: the same register as the writable store; every write is refused
    with ReadOnlyStore (a message in each language) before anything is tried."""
    url = f"sqlite:///file:{seeded_file}?mode=ro&uri=true"
    before = _digest(seeded_file)
    writable = open_store(f"sqlite:///{seeded_file}")
    store = open_store(url)
    try:
        assert store.read_only and not writable.read_only
        expected, got = writable.load_current(), store.load_current()
        for a, b in zip(expected, got, strict=True):
            pd.testing.assert_frame_equal(a, b)
        assert store.current_versions() == writable.current_versions()
        with pytest.raises(ReadOnlyStore) as refused:
            store.record_upload("RBD", "x.xlsx", b"data", "hq", user=HQ)
        assert refused.value.message("en") != refused.value.message("fr")
        assert str(seeded_file) in refused.value.message("en")
        data = (SAMPLE_DIR / "RBD.xlsx").read_bytes()
        with pytest.raises(ReadOnlyStore):
            ingest.prepare(store, data, "RBD.xlsx", "RBD", "hq", user=HQ)
        with pytest.raises(ReadOnlyStore):
            store.restore("RBD", 1, "hq", user=HQ)
    finally:
        store.close()
        writable.close()
    assert _digest(seeded_file) == before


def test_the_app_shows_the_numbers_of_a_read_only_store(seeded_file, monkeypatch):
    """The overview on a read-only store: the same cards as on the writable one, no error."""
    cards = {}
    for label, url in (
        ("writable", f"sqlite:///{seeded_file}"),
        ("read-only", f"sqlite:///file:{seeded_file}?mode=ro&uri=true"),
    ):
        monkeypatch.setenv("DATABASE_URL", url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.run()
        assert not at.exception, (label, at.exception)
        cards[label] = [(m.label, m.value) for m in at.metric]
    assert cards["read-only"] and cards["read-only"] == cards["writable"]
