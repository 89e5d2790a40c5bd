"""Who may do what: the roles, their regions, and the checks the store and services make.

The rules are declared once (RULES) and checked where data is written and read, not only by
hiding buttons: a service given a user who may not act raises `Refused`.
"""

from dataclasses import dataclass

from analytics.i18n import t

ADMIN, DIRECTOR, FOCAL_POINT = "admin", "director", "focal_point"
ROLES = (ADMIN, DIRECTOR, FOCAL_POINT)

# What can be done. Region-scoped actions name the region they act on.
READ = "read"  # registers, versions, indicators: every signed-in user, every region
UPLOAD = "upload"  # send a workbook and commit it as the region's new version
RESTORE = "restore"  # make an earlier version of the region current again
READ_FILES = "read_files"  # the upload attempts and original files of a region
EDIT_REFERENCE = "edit_reference"
MANAGE_USERS = "manage_users"
VIEW_AUDIT = "view_audit"
REVIEW = "review"  # approve or return a region's version (never one's own upload: services.review)
ACTIONS = (READ, UPLOAD, RESTORE, READ_FILES, EDIT_REFERENCE, MANAGE_USERS, VIEW_AUDIT, REVIEW)
REGION_SCOPED = {UPLOAD, RESTORE, READ_FILES, REVIEW}

# role -> action -> "all" (any region), "own" (the user's regions only), "given" (the user's
# regions when they were given some, else every region); absent means refused.
RULES: dict[str, dict[str, str]] = {
    ADMIN: {action: "all" for action in ACTIONS},
    # A director given regions (`users add --role director --region …`) reviews those only.
    DIRECTOR: {READ: "all", READ_FILES: "all", REVIEW: "given"},
    FOCAL_POINT: {READ: "all", UPLOAD: "own", RESTORE: "own", READ_FILES: "own"},
}


@dataclass(frozen=True)
class User:
    """The acting user: a name (recorded in the audit trail), a role and, for focal points, regions."""

    name: str
    role: str
    regions: tuple[str, ...] = ()
    demo: bool = False  # the demo visitor of a local first look, never a real account

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; roles are {', '.join(ROLES)}")
        object.__setattr__(
            self, "regions", tuple(sorted({r.strip().upper() for r in self.regions}))
        )

    def can(self, action: str, region: str | None = None) -> bool:
        """True when the user may do `action` (on `region`, for region-scoped actions)."""
        scope = RULES[self.role].get(action)
        if scope is None:
            return False
        if scope == "all" or action not in REGION_SCOPED:
            return True
        if scope == "given" and not self.regions:
            return True
        return region is not None and region.upper() in self.regions

    def may_ever(self, action: str) -> bool:
        """True when the role may do `action` on some region (which pages to list)."""
        return action in RULES[self.role]

    def writable_regions(self, all_regions: list[str]) -> list[str]:
        """The regions whose register this user may upload, in the order given."""
        return [r for r in all_regions if self.can(UPLOAD, r)]


class Refused(PermissionError):
    """The acting user may not do this; `message(lang)` says so in the user's language."""

    def __init__(self, user: "User | None", action: str, region: str | None = None):
        self.user, self.action, self.region = user, action, region
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        if self.user is None:
            return t("access.not_signed_in", lang)
        key = f"access.refused_{self.action}" + ("_region" if self.region else "")
        return t(
            key,
            lang,
            user=self.user.name,
            role=t(f"access.role_{self.user.role}", lang),
            region=self.region or "",
        )


def require(user: "User | None", action: str, region: str | None = None) -> "User":
    """Raise Refused unless `user` may do `action` (on `region`); return the user."""
    if user is None or not isinstance(user, User) or not user.can(action, region):
        raise Refused(user if isinstance(user, User) else None, action, region)
    return user


# The app itself when it loads the sample registers into an empty store: an explicit acting user,
# so that no write goes without one.
SYSTEM = User(name="sample data", role=ADMIN)
