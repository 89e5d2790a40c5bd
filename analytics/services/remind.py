"""Reminders: e-mail the focal points of the regions late for a reporting period, each in their
own language, through the SMTP server of the settings. `remind` is the only command that sends
e-mail; `--dry-run` prints the messages instead.
"""

import smtplib
import ssl
import sys
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from analytics import config
from analytics.access.roles import FOCAL_POINT
from analytics.accounts.cli import os_login
from analytics.accounts.users import Account, load_accounts
from analytics.config import setting
from analytics.i18n import fmt_date, t
from analytics.reference.load import Reference
from analytics.store import audit, calendar


@dataclass(frozen=True)
class Reminder:
    """One e-mail to one focal point about one late region."""

    to: str
    user: str
    region: str
    lang: str
    subject: str
    body: str

    def message(self, sender: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = sender, self.to, self.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        mail["Content-Language"] = self.lang
        mail.set_content(self.body)
        return mail


@dataclass(frozen=True)
class Plan:
    """What `remind` would do for a period: the late regions, the e-mails, who has no address."""

    period: calendar.Period
    late: list[str]
    reminders: list[Reminder]
    unreachable: list[str]  # late regions with no enabled focal point that has an e-mail


class NoPeriod(LookupError):
    """No such period (`code` and `values` make the message)."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code, self.values = code, values


def choose_period(reference: Reference, today: date, code: str | None) -> calendar.Period:
    """The period asked for, else the latest one past its due date."""
    periods = calendar.periods_of(reference.reporting_periods)
    if code:
        for period in periods:
            if period.code == code:
                return period
        known = ", ".join(p.code for p in periods[-4:])
        raise NoPeriod("remind.unknown_period", period=code, known=known)
    period = calendar.last_due(periods, today)
    if period is None:
        raise NoPeriod("remind.no_period")
    return period


def plan(
    store,
    reference: Reference,
    today: date,
    period_code: str | None = None,
    accounts: dict[str, Account] | None = None,
) -> Plan:
    """The reminders for a period: one per enabled focal point with an e-mail, per late region."""
    period = choose_period(reference, today, period_code)
    grid = calendar.store_grid(store, reference, today)
    late = calendar.late_regions(grid, period.code)
    accounts = load_accounts() if accounts is None else accounts
    focal = [a for a in accounts.values() if a.role == FOCAL_POINT and not a.disabled and a.email]
    reminders, unreachable = [], []
    for region in late:
        mine = [a for a in focal if region in a.regions]
        if not mine:
            unreachable.append(region)
        reminders.extend(_reminder(a, region, period, today, reference) for a in mine)
    return Plan(period, late, reminders, unreachable)


def _reminder(account: Account, region: str, period, today: date, reference) -> Reminder:
    lang = account.lang
    name = reference.region_name(region, lang)
    values = {"period": period.code, "region": name}
    days = (today - period.due_date).days
    body = t(
        "remind.body",
        lang,
        name=account.name,
        first_day=fmt_date(period.first_day, lang),
        last_day=fmt_date(period.last_day, lang),
        due_date=fmt_date(period.due_date, lang),
        count_days=t("remind.days_late", lang, count=days),
        url=f"{setting('PARTNERSHIPS_APP_URL').rstrip('/')}/upload?lang={lang}",
        sender=setting("PARTNERSHIPS_SMTP_SENDER"),
        **values,
    )
    subject = t("remind.subject", lang, **values)
    return Reminder(account.email, account.name, region, lang, subject, body)


def send(reminders: list[Reminder]) -> None:
    """Send every reminder through the SMTP server of the settings, in one connection."""
    host, port = setting("PARTNERSHIPS_SMTP_HOST"), int(setting("PARTNERSHIPS_SMTP_PORT"))
    security = setting("PARTNERSHIPS_SMTP_SECURITY").strip().lower()
    sender = setting("PARTNERSHIPS_SMTP_SENDER")
    connect = smtplib.SMTP_SSL if security == "tls" else smtplib.SMTP
    extra = {"context": ssl.create_default_context()} if security == "tls" else {}
    with connect(host, port, timeout=30, **extra) as smtp:
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if setting("PARTNERSHIPS_SMTP_USER"):
            smtp.login(setting("PARTNERSHIPS_SMTP_USER"), setting("PARTNERSHIPS_SMTP_PASSWORD"))
        for reminder in reminders:
            smtp.send_message(reminder.message(sender))


def cli_remind(args) -> int:
    """`remind [--period P] [--dry-run] [--db URL]`: 0 sent (or nothing to send, or printed),
    1 no such period or the SMTP server refused."""
    from analytics.reference.load import load_reference
    from analytics.store.versions import open_store

    lang = args.lang
    store = open_store(args.db)
    try:
        reference = load_reference()
        try:
            found = plan(store, reference, config.today(), args.period)
        except NoPeriod as exc:
            print(t(exc.code, lang, **exc.values), file=sys.stderr)
            return 1 if exc.code == "remind.unknown_period" else 0
        code = found.period.code
        if not found.late:
            print(t("remind.none_late", lang, period=code))
            return 0
        if found.unreachable:
            print(
                t(
                    "remind.nobody",
                    lang,
                    period=code,
                    regions=", ".join(found.late),
                    without=", ".join(found.unreachable),
                ),
                file=sys.stderr,
            )
        if args.dry_run:
            sender = setting("PARTNERSHIPS_SMTP_SENDER")
            for reminder in found.reminders:
                print(reminder.message(sender).as_string(), end="\n\n")
            print(t("remind.would_send", lang, count=len(found.reminders), period=code))
            return 0
        if found.reminders:
            try:
                send(found.reminders)
            except (OSError, smtplib.SMTPException) as exc:
                host, port = setting("PARTNERSHIPS_SMTP_HOST"), setting("PARTNERSHIPS_SMTP_PORT")
                detail = str(exc) or type(exc).__name__
                print(
                    t("remind.smtp_failed", lang, host=host, port=port, detail=detail),
                    file=sys.stderr,
                )
                return 1
            for reminder in found.reminders:
                audit.record(
                    store,
                    f"cli:{os_login()}",
                    audit.REMINDER,
                    region=reminder.region,
                    subject=reminder.user,
                    detail=audit.detail("reminder_sent", period=code, to=reminder.to),
                )
        print(t("remind.sent", lang, count=len(found.reminders), period=code))
        return 0
    finally:
        store.close()
