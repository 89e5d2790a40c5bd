"""Taking in an uploaded register: the one service behind the upload page and `python -m analytics ingest`.

The bytes are kept first (committed or not), then read and validated (analytics.register.checking), then
compared with the region's current version (analytics.store.diff), then committed in one transaction
that refuses if the region's register changed since the comparison (StaleRegister). The
`ingest` command is analytics.services.ingest_cli.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from analytics.access.roles import RESTORE, UPLOAD, Refused, User, require
from analytics.reference.load import Reference, load_reference
from analytics.register.checking import Checked, check_upload
from analytics.store import audit
from analytics.store.diff import Change, diff_registers
from analytics.store.read_ahead import ReadAhead
from analytics.store.records import StaleRegister, Version, sha256
from analytics.store.reports import save_report
from analytics.store.versions import Store

# What an upload became (uploads.status); "received" until it has been read.
UNREADABLE, REJECTED, VALIDATED, IDENTICAL = "unreadable", "rejected", "validated", "identical"
COMMITTED, STALE, FAILED = "committed", "stale", "failed"
PHASES = ("store", "read", "compare", "commit")


MAX_REASON = 200  # characters of a removal's reason: one line, said in the version history


class EmptyRegister(ValueError):
    """An empty register was committed without the explicit confirmation it needs."""


class ReasonNeeded(ValueError):
    """An upload that removes rows was committed without a reason, or with one too long
    (`code`: the message in locales/<lang>/removals.toml, with `removed` and `limit`)."""

    def __init__(self, code: str, removed: dict[str, int]):
        super().__init__(
            f"{code}: an upload removing rows needs a reason of 1 to {MAX_REASON} characters"
        )
        self.code, self.removed = code, removed


def removal_reason(text: str | None) -> str | None:
    """A reason as it is kept: on one line, spaces trimmed; None when nothing was said."""
    said = " ".join((text or "").split())
    return said or None


def reason_refused(prepared: "Prepared", reason: str | None, required: bool = True) -> str | None:
    """Why the reason given for an upload is refused ("reason_missing", "reason_too_long"), or
    None (it is fine, or the upload removes nothing): `commit` checks it, and `ingest` before it
    asks its confirmation."""
    if not prepared.removes_rows:
        return None
    said = removal_reason(reason)
    if said is None:
        return "reason_missing" if required else None
    return "reason_too_long" if len(said) > MAX_REASON else None


@dataclass(frozen=True)
class Prepared:
    """An upload read, validated and compared with the current version, ready to be committed."""

    region: str
    file_name: str
    upload_id: int
    sha256: str
    checked: Checked
    current: Version | None  # the version the change was computed against (None: first version)
    change: Change | None  # None when the file has errors or is the current version's file
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds

    @property
    def register(self):
        return self.checked.result.register

    @property
    def report(self):
        return self.checked.result.report

    @property
    def expected_number(self) -> int:
        return self.current.number if self.current else 0

    @property
    def status(self) -> str:
        """unreadable, rejected, identical or validated (ready to commit)."""
        if self.report.unreadable:
            return UNREADABLE
        if self.report.errors:
            return REJECTED
        if self.identical:
            return IDENTICAL
        return VALIDATED

    @property
    def empty(self) -> bool:
        """A valid register with no partner and no contribution: committing it empties the region."""
        register = self.register
        return register is not None and register.partners.empty and register.contributions.empty

    @property
    def removed(self) -> dict[str, int]:
        """Rows the upload removes, per sheet shown (partners, contributions, agreements, reports)."""
        if self.change is None:
            return {}
        return {s: len(self.change.sheet(s).removed) for s in self.change.sheets}

    @property
    def removes_rows(self) -> bool:
        """Committing removes rows from the register: a reason is needed (`commit`)."""
        return not self.identical and any(self.removed.values())

    @property
    def identical(self) -> bool:
        if self.current is None or not self.report.ok:
            return False
        return self.current.sha256 == self.sha256 or (
            self.change is not None and self.change.identical
        )


def _timed(timings: dict, phase: str, on_phase: Callable[[str], None] | None):
    if on_phase is not None:
        on_phase(phase)
    timings[phase] = time.perf_counter()


def _done(timings: dict, phase: str) -> None:
    timings[phase] = time.perf_counter() - timings[phase]


def prepare(
    store: Store,
    data: bytes,
    file_name: str,
    region: str,
    uploader: str,
    *,
    decimal: str = ".",
    reference: Reference | None = None,
    upload_id: int | None = None,
    on_phase: Callable[[str], None] | None = None,
    user: User,
    given_as: str | None = None,
) -> Prepared:
    """Keep the file, read and validate it, compare it with the region's current version.

    `decimal`: how an ambiguous amount ('1,234') is read (analytics.register.parsing).
    `upload_id`: an upload already recorded for these bytes (the page re-checks a file read
    with another decimal separator without recording it twice). `on_phase` is told each phase as it starts.
    `user`: the acting user (required); refused (access.Refused, audited) unless they may upload
    the region. `given_as`: a name the command line was given (`--user`), recorded as said, never
    acted as.
    """
    _check(store, user, UPLOAD, region, uploader, file_name, given_as)
    reference = reference or load_reference()
    timings: dict[str, float] = {}
    _timed(timings, "store", on_phase)
    if upload_id is None:
        upload_id = store.record_upload(region, file_name, data, uploader, user=user)
    _done(timings, "store")
    ahead = ReadAhead(store, region)  # the current version, read back while the file is read
    _timed(timings, "read", on_phase)
    checked = check_upload(file_name, data, region, decimal)
    _done(timings, "read")
    prepared = Prepared(region, file_name, upload_id, sha256(data), checked, None, None, timings)
    report = checked.result.report
    if not report.ok:
        store.set_upload_status(
            upload_id, prepared.status, len(report.errors), len(report.warnings)
        )
        save_report(store, upload_id, report)
        _audit_upload(store, user, uploader, prepared, given_as)
        return prepared
    prepared = compare(store, prepared, reference=reference, on_phase=on_phase, read_ahead=ahead)
    store.set_upload_status(upload_id, prepared.status, 0, len(report.warnings))
    save_report(store, upload_id, report)
    _audit_upload(store, user, uploader, prepared, given_as)
    return prepared


def _actor(user: User | None, uploader: str) -> "User | str":
    # The demo visitor has no name of their own: the name they typed says more.
    return uploader if user is None or user.demo else user


def _check(
    store: Store,
    user: User,
    action: str,
    region: str,
    uploader: str,
    subject: str,
    given_as: str | None = None,
) -> None:
    """Refuse (and record the refusal) unless `user` may do `action` on `region`."""
    try:
        require(user, action, region)
    except Refused:
        try:
            audit.record(
                store,
                _actor(user, uploader),
                audit.REFUSED,
                region=region,
                subject=subject,
                detail=audit.given(audit.detail("refused", action=action), given_as),
            )
        except Exception:  # noqa: BLE001 - the refusal stands even if it cannot be recorded
            pass
        raise


def _audit_upload(
    store: Store, user: User, uploader: str, prepared: "Prepared", given_as: str | None
) -> None:
    current = prepared.current.number if prepared.current else None
    audit.record(
        store,
        _actor(user, uploader),
        audit.UPLOAD,
        region=prepared.region,
        subject=prepared.file_name,
        from_version=current,
        detail=audit.given(
            audit.detail(
                "upload",
                status=prepared.status,
                errors=len(prepared.report.errors),
                warnings=len(prepared.report.warnings),
            ),
            given_as,
        ),
    )


def compare(
    store: Store,
    prepared: Prepared,
    *,
    reference: Reference | None = None,
    on_phase: Callable[[str], None] | None = None,
    read_ahead: ReadAhead | None = None,
) -> Prepared:
    """(Again) compare a valid upload with the region's current version, as it is now
    (`read_ahead`: the version as read back while the upload was being read, if still current)."""
    timings = dict(prepared.timings)
    _timed(timings, "compare", on_phase)
    current = store.current_version(prepared.region)
    change = None
    if current is None or current.sha256 != prepared.sha256:
        before = read_ahead.register(current) if read_ahead and current else None
        if before is None and current is not None:
            before = store.load_version(current.id)
        change = diff_registers(before, prepared.register, reference or load_reference())
    _done(timings, "compare")
    return replace(prepared, current=current, change=change, timings=timings)


def commit(
    store: Store,
    prepared: Prepared,
    uploader: str,
    *,
    user: User,
    given_as: str | None = None,
    empty_confirmed: bool = False,
    reason: str | None = None,
    require_reason: bool = True,
) -> Version:
    """Commit a prepared upload as the region's new version, if the region did not change since.

    Raises StaleRegister when another version was committed after the comparison, ValueError
    for an upload with errors, and EmptyRegister for an empty register not confirmed as such
    (`empty_confirmed`): a blank template sent by mistake must not empty a region in one click.
    An upload that removes rows is committed with a one-line `reason` (at most MAX_REASON
    characters), kept with the version: ReasonNeeded without one, whoever calls (the upload
    page and `ingest` ask for it first; `require_reason=False` only for a caller that restores
    or seeds a register and so has no one to ask). Identical uploads store nothing and return the
    current version.
    """
    _check(store, user, UPLOAD, prepared.region, uploader, prepared.file_name, given_as)
    if not prepared.report.ok:
        raise ValueError("an upload with errors cannot be committed")
    if prepared.empty and not prepared.identical and not empty_confirmed:
        raise EmptyRegister("an empty register needs an explicit confirmation")
    refused = reason_refused(prepared, reason, require_reason)
    if refused:
        raise ReasonNeeded(f"removals.{refused}", prepared.removed)
    reason = removal_reason(reason) if prepared.removes_rows else None
    if prepared.identical:
        store.set_upload_status(prepared.upload_id, IDENTICAL)
        return replace(prepared.current, identical=True)
    start = time.perf_counter()
    try:
        version = store.commit(
            prepared.region,
            prepared.register,
            upload_id=prepared.upload_id,
            uploader=uploader,
            expected_number=prepared.expected_number,
            user=user,
            given_as=given_as,
            removal_reason=reason,
            removed=prepared.removed if reason else None,
        )
    except StaleRegister:
        store.set_upload_status(prepared.upload_id, STALE)
        raise
    except Exception:
        _mark_failed(store, prepared.upload_id)
        raise
    prepared.timings["commit"] = time.perf_counter() - start
    if version.identical:
        store.set_upload_status(prepared.upload_id, IDENTICAL)
    return version


def _mark_failed(store: Store, upload_id: int) -> None:
    try:
        store.set_upload_status(upload_id, FAILED)
    except Exception:  # noqa: BLE001 - the store itself is failing; the bytes are already kept
        pass


def restore(
    store: Store,
    region: str,
    number: int,
    uploader: str,
    expected_number: int,
    *,
    user: User,
) -> Version:
    """Make an earlier version of a region current again; the restore is itself a new version."""
    _check(store, user, RESTORE, region, uploader, f"version {number}")
    return store.restore(
        region, number, uploader=uploader, expected_number=expected_number, user=user
    )
