"""`remind` (#11): the focal points of the regions late for a reporting period get an e-mail in
their own language, sent through a real SMTP server (aiosmtpd, started here) and read back."""

import email
import os
from datetime import UTC, date, datetime
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from analytics.access.roles import FOCAL_POINT, User
from analytics.accounts import users
from analytics.reference.load import load_reference
from analytics.services import ingest, remind
from analytics.store import audit
from analytics.store.tables import versions
from analytics.store.versions import open_store
from tests import cli
from tests.conftest import ROOT, free_port
from tests.workbooks import contribution, partner, valid_register

# Two periods far in the past, so the test holds whatever day it runs: T1's window for a
# submission runs from its last day (31 Mar 2020) to T2's last day (30 Jun 2020).
PERIODS = (
    "period,first_day,last_day,due_date,source\n"
    "2020-T1,2020-01-01,2020-03-31,2020-04-30,test\n"
    "2020-T2,2020-04-01,2020-06-30,2020-07-31,test\n"
)


class Inbox:
    """An aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append(envelope)
        return "250 OK"

    def messages(self):
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.received]


@pytest.fixture
def smtp(monkeypatch):
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("PARTNERSHIPS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PARTNERSHIPS_SMTP_PORT", str(port))
    monkeypatch.setenv("PARTNERSHIPS_SMTP_SENDER", "partnerships@hq.example")
    yield inbox
    controller.stop()


@pytest.fixture
def late_rbc(tmp_path, monkeypatch):
    """RBD sent its register on 15 April 2020 (on time for 2020-T1); RBC sent nothing. Focal
    points: awa for RBD, bob (English) and cleo (French) for RBC, dan for RBC with no e-mail."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for shipped in (ROOT / "data" / "reference").glob("*.csv"):
        (folder / shipped.name).write_bytes(shipped.read_bytes())
    (folder / "reporting_periods.csv").write_text(PERIODS, encoding="utf-8")
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    accounts = tmp_path / "users.toml"
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(accounts))
    for name, region, mail, lang in (
        ("awa", "RBD", "awa@rbd.example", "fr"),
        ("bob", "RBC", "bob@rbc.example", "en"),
        ("cleo", "RBC", "cleo@rbc.example", "fr"),
        ("dan", "RBC", "", "en"),
    ):
        users.add_user(
            name, FOCAL_POINT, None, regions=[region], email=mail, lang=lang, path=accounts
        )
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    path = valid_register(
        tmp_path / "rbd.xlsx", partners=[partner("P1")], contributions=[contribution()]
    )
    awa = User("awa", FOCAL_POINT, ("RBD",))
    version = ingest.commit(
        store,
        ingest.prepare(store, path.read_bytes(), path.name, "RBD", "awa", user=awa),
        "awa",
        user=awa,
    )
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(versions)
            .where(versions.c.id == version.id)
            .values(created_at=datetime(2020, 4, 15, 10, tzinfo=UTC))
        )
    store.close()
    return url


def test_the_late_region_s_focal_points_get_it_each_in_their_language(late_rbc, smtp):
    store = open_store(late_rbc)
    found = remind.plan(store, load_reference(), date(2020, 5, 10), "2020-T1")
    # RBD's upload of 15 April answers 2020-T1; every other region is late, only RBC has
    # focal points (the others are said to have nobody to write to).
    assert found.late == ["RBB", "RBC", "RBJ", "RBN", "RBP"]
    assert found.unreachable == ["RBB", "RBJ", "RBN", "RBP"]
    assert sorted(r.user for r in found.reminders) == ["bob", "cleo"]  # dan has no e-mail
    remind.send(found.reminders)
    store.close()

    mails = {m["To"]: m for m in smtp.messages()}
    assert set(mails) == {"bob@rbc.example", "cleo@rbc.example"}
    english, french = mails["bob@rbc.example"], mails["cleo@rbc.example"]
    assert english["From"] == "partnerships@hq.example"
    assert (
        english["Subject"]
        == "Partnerships register for 2020-T1: RBC Cairo – Middle East, Northern Africa and Eastern Europe is late"
    )
    body = english.get_content()
    # Due 30 April 2020, today 10 May: 10 days ago.
    assert "was due on Apr 30, 2020, 10 days ago" in body
    assert "http://localhost:8501/upload?lang=en" in body
    assert french["Subject"].startswith(
        "Registre des partenariats pour 2020-T1\u00a0: RBC Cairo – Moyen-Orient"
    )
    assert "attendu le 30 avr. 2020, il y a 10 jours" in french.get_content()
    assert "/upload?lang=fr" in french.get_content()


def run(*args, env=None, child=False):
    """`python -m analytics remind ARGS`, in this process unless `child` (tests/cli.py)."""
    environment = {**os.environ, **(env or {})}
    environment.pop("DATABASE_URL", None)
    return cli.run(["remind", *args], environment, child=child)


def test_the_command_sends_them_and_the_trail_records_each(late_rbc, smtp):
    done = run("--period", "2020-T2", "--db", late_rbc, child=True)  # the real command, once
    # 2020-T2: nothing from either region since 30 June 2020 (RBD's upload was for T1).
    assert done.returncode == 0, done.stderr
    assert "Sent 3 reminders for 2020-T2." in done.stdout
    assert sorted(m["To"] for m in smtp.messages()) == [
        "awa@rbd.example",
        "bob@rbc.example",
        "cleo@rbc.example",
    ]
    assert "no enabled focal point with an e-mail for RBB, RBJ, RBN, RBP." in done.stderr
    store = open_store(late_rbc)
    trail = audit.entries(store, User("hq", "admin"), actions=[audit.REMINDER])
    store.close()
    assert sorted(trail["subject"]) == ["awa", "bob", "cleo"]


def test_a_dry_run_prints_the_messages_and_sends_nothing(late_rbc, smtp):
    done = run("--period", "2020-T1", "--dry-run", "--db", late_rbc, "--lang", "fr")
    assert done.returncode == 0, done.stderr
    assert "To: bob@rbc.example" in done.stdout and "To: cleo@rbc.example" in done.stdout
    assert "Essai\u00a0: 2 rappels seraient envoyés pour 2020-T1." in done.stdout
    assert smtp.received == []


def test_an_unknown_period_or_a_refusing_server_is_said_with_status_1(late_rbc, monkeypatch):
    unknown = run("--period", "2031-Q9", "--db", late_rbc)
    assert unknown.returncode == 1
    assert "No reporting period 2031-Q9" in unknown.stderr and "2020-T2" in unknown.stderr
    closed = run(
        "--period",
        "2020-T1",
        "--db",
        late_rbc,
        env={"PARTNERSHIPS_SMTP_HOST": "127.0.0.1", "PARTNERSHIPS_SMTP_PORT": str(free_port())},
    )
    assert closed.returncode == 1
    assert "could not be sent through 127.0.0.1" in closed.stderr
    assert "Traceback" not in closed.stderr


def test_a_user_s_language_is_set_and_checked(tmp_path):
    path = tmp_path / "users.toml"
    users.add_user("eve", FOCAL_POINT, None, regions=["RBD"], lang="fr", path=path)
    assert users.load_accounts(path)["eve"].lang == "fr"
    assert users.set_language("eve", "en", path=path).lang == "en"
    with pytest.raises(users.UsersError) as refused:
        users.set_language("eve", "de", path=path)
    assert refused.value.code == "bad_lang"
    assert users.load_accounts(path)["eve"].lang == "en"  # nothing changed
