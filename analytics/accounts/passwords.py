"""Passwords: argon2 hashes made and checked (what a password must be: users.check_password).

The hasher is made at import but hashes nothing then: the hash a wrong name is verified
against is made at the first sign-in that needs it (hashing at import cost every CLI command ~1 s).
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("not a password of anyone")
    return _DUMMY_HASH


def verify(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; an empty hash is checked against a dummy one,
    so an unknown name or an OIDC-only account takes as long to refuse as a wrong password."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
