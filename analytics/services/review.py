"""The review cycle: a director or an admin approves a region's version or returns it with a comment.

Every refusal is made here, whoever calls (the review page, `python -m analytics review`, a
test): the role and its regions (access.roles REVIEW), one's own upload, a version of another
region, an empty or too long comment on a return. Every review, and every refusal, is audited.
The review state itself is stored by analytics.store.reviews.
"""

from collections.abc import Callable
from dataclasses import dataclass

from analytics.access.roles import REVIEW, Refused, User, require
from analytics.i18n import t
from analytics.reference.load import Reference, load_reference
from analytics.store import audit
from analytics.store.diff import Change, diff_registers
from analytics.store.records import Version
from analytics.store.reviews import (
    APPROVED,
    MAX_COMMENT,
    RETURNED,
    SUBMITTED,
    Review,
    add,
    approved_versions,
    latest_reviews,
    state_of,
)
from analytics.store.versions import Store


class ReviewError(ValueError):
    """A review that cannot be made (no such version, own upload, bad comment…)."""

    def __init__(self, code: str, **values):
        super().__init__(f"{code}: {values}" if values else code)
        self.code, self.values = code, values

    def message(self, lang: str = "en") -> str:
        return t(f"review.{self.code}", lang, **self.values)


@dataclass(frozen=True)
class State:
    """A version and where it stands in the review cycle."""

    version: Version
    state: str  # submitted, approved or returned
    review: Review | None  # its latest review (None while submitted)


@dataclass(frozen=True)
class Waiting:
    """A submitted version waiting for a review, with its change against the last approved one.

    `current` and `change` are named as in ingest.Prepared, so that the upload page's change
    preview (ui.upload_view.show_change, store.changes.change_lines) shows it as it is."""

    region: str
    version: Version
    current: Version | None  # the region's last approved version (None: never approved)
    change: Change


def _refuse(store: Store, user: User, region: str, subject: str, given_as: str | None) -> None:
    try:
        require(user, REVIEW, region)
    except Refused as refused:
        # A focal point may review no region at all: say that, not "not this region".
        scoped = isinstance(user, User) and user.may_ever(REVIEW)
        try:
            audit.record(
                store,
                user,
                audit.REFUSED,
                region=region,
                subject=subject,
                detail=audit.given(audit.detail("refused", action=REVIEW), given_as),
            )
        except Exception:  # noqa: BLE001 - the refusal stands even if it cannot be recorded
            pass
        if scoped:
            raise
        raise Refused(refused.user, REVIEW) from None


def _version(store: Store, region: str, number: int | None, version_id: int | None) -> Version:
    try:
        if version_id is not None:
            version = store.version(version_id)
        elif number is not None:
            version = store.version_by_number(region, number)
        else:
            version = store.current_version(region)
    except KeyError:
        version = None
    if version is None:
        raise ReviewError("no_such_version", region=region, number=number or "-")
    if version.region != region:
        raise ReviewError("other_region", region=region, other=version.region)
    return version


def review(
    store: Store,
    region: str,
    decision: str,
    *,
    user: User,
    comment: str = "",
    number: int | None = None,
    version_id: int | None = None,
    given_as: str | None = None,
) -> Review:
    """Approve (APPROVED) or return (RETURNED) a version of `region`: the one numbered `number`,
    or with id `version_id`, else the current one. Raises Refused or ReviewError; nothing is
    stored then but the refusal in the audit trail."""
    region = (region or "").strip().upper()
    subject = f"version {number}" if number is not None else "current version"
    _refuse(store, user, region, subject, given_as)
    store._writable()
    if decision not in (APPROVED, RETURNED):
        raise ValueError(f"unknown decision {decision!r}")
    version = _version(store, region, number, version_id)
    if version.uploader.strip().casefold() == user.name.strip().casefold():
        raise ReviewError("own_upload", region=region, number=version.number)
    comment = (comment or "").strip()
    if decision == RETURNED and not comment:
        raise ReviewError("comment_needed")
    if len(comment) > MAX_COMMENT:
        raise ReviewError("comment_too_long", maximum=MAX_COMMENT, length=len(comment))
    with store.engine.begin() as conn:
        done = add(conn, version.id, decision, user.name, comment)
        audit.record(
            store,
            user,
            audit.REVIEW,
            region=region,
            subject=version.file_name,
            to_version=version.number,
            detail=audit.given(
                audit.detail(f"review_{decision}_comment", comment=comment)
                if comment
                else audit.detail(f"review_{decision}"),
                given_as,
            ),
            conn=conn,
        )
    return done


def approve(store: Store, region: str, *, user: User, **options) -> Review:
    """Approve a version of `region` (see `review`)."""
    return review(store, region, APPROVED, user=user, **options)


def return_version(store: Store, region: str, comment: str, *, user: User, **options) -> Review:
    """Return a version of `region` with a comment, required (see `review`)."""
    return review(store, region, RETURNED, user=user, comment=comment, **options)


def states(store: Store) -> dict[str, State]:
    """region -> its current version and that version's review state."""
    current = store.current_versions()
    reviews = latest_reviews(store.engine, [v.id for v in current.values()])
    return {
        region: State(version, state_of(reviews.get(version.id)), reviews.get(version.id))
        for region, version in current.items()
    }


def waiting(
    store: Store,
    user: User,
    reference: Reference | None = None,
    change: Callable[[int | None, int], Change] | None = None,
) -> list[Waiting]:
    """The current versions still submitted, of the regions `user` may review, each with its
    change against the region's last approved version (empty for a user who reviews nothing).
    `change(approved_id or None, version_id)` gives that change; the page passes one cached per
    pair of versions (versions never change), the default diffs them here."""
    reference = reference or load_reference()

    def diffed(before_id: int | None, version_id: int) -> Change:
        before = store.load_version(before_id) if before_id is not None else None
        return diff_registers(before, store.load_version(version_id), reference)

    change = change or diffed
    approved = approved_versions(store.engine)
    out = []
    for region, state in states(store).items():
        if state.state != SUBMITTED or not user.can(REVIEW, region):
            continue
        before = approved.get(region)
        diff = change(before.id if before else None, state.version.id)
        out.append(Waiting(region, state.version, before, diff))
    return out


def counted(store: Store) -> dict[str, tuple[State, Version | None]]:
    """region -> its current version's State and its latest approved version (None: never
    approved), for the badges of the regions whose counted version is not approved."""
    approved = approved_versions(store.engine)
    return {region: (state, approved.get(region)) for region, state in states(store).items()}
