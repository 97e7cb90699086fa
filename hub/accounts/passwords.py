"""Passwords: the policy a new one must meet, and argon2id hashes of them.

Hashing is deliberately slow (memory-hard): it runs in worker threads, at most
`CONCURRENT` at a time per process, so a burst of sign-ins neither blocks the event loop
nor takes `memory × requests` at once. A password is NFKC-normalised before hashing (NIST
SP 800-63B), so one typed on another keyboard or input method still matches.

Sign-in verifies an unknown account's password against a dummy hash made with the same
parameters, so the answer takes as long whether or not the account exists.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import anyio
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hub.config import Settings
from hub.errors import invalid

MIN_LENGTH = 10
MAX_LENGTH = 256  # characters: a longer one is no safer, and costs more to hash
CONCURRENT = 4
# Among the most used passwords (public breach lists) that are 10 characters or longer.
COMMON = frozenset(
    {
        "1234567890",
        "0123456789",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwerty1234",
        "qwerty123456",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou12",
        "abcdefghij",
        "abc1234567",
        "a123456789",
        "asdfghjkl;",
        "zxcvbnm123",
        "1111111111",
        "woaini1314",
        "woaini520520",
        "aa123456789",
        "qq123456789",
    }
)

T = TypeVar("T")
_limiter: anyio.CapacityLimiter | None = None


@dataclass(frozen=True)
class Verdict:
    matches: bool
    stale: bool  # the hash was made with other parameters: make it anew


def normalized(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def check_policy(field: str, password: str, email: str = "") -> str:
    """The password, normalised, when it may be used; otherwise an error naming `field`.

    NIST's rules: long enough, not absurdly long, not a well-known password, not the
    e-mail address; no rules on character classes (they make passwords weaker in practice).
    """
    text = normalized(password)
    if len(text) < MIN_LENGTH:
        raise invalid(
            field, f"must have at least {MIN_LENGTH} characters", f"至少需要 {MIN_LENGTH} 个字符"
        )
    if len(text) > MAX_LENGTH:
        raise invalid(
            field, f"may have at most {MAX_LENGTH} characters", f"最多 {MAX_LENGTH} 个字符"
        )
    lowered = text.casefold()
    if lowered in COMMON or len(set(lowered)) < 3:
        raise invalid(field, "is too easy to guess", "太容易被猜到")
    local = email.partition("@")[0].casefold()
    if lowered in (email.casefold(), local):
        raise invalid(field, "may not be your e-mail address", "不能与电子邮箱地址相同")
    return text


class Passwords:
    """argon2id with one set of parameters (from the settings)."""

    def __init__(self, memory_kib: int, time_cost: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._dummy = self._hasher.hash("not a password of anyone")

    async def hash(self, password: str) -> str:
        return await _in_thread(self._hasher.hash, normalized(password))

    async def verify(self, stored: str | None, password: str) -> Verdict:
        """Whether `password` matches `stored` (None: no account, or none set; the work is
        done all the same), and whether `stored` should be made anew."""
        matches = await _in_thread(self._matches, stored or self._dummy, normalized(password))
        matches = matches and stored is not None
        return Verdict(matches, matches and self._hasher.check_needs_rehash(stored or ""))

    def _matches(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


async def _in_thread(function: Callable[..., T], *args: str) -> T:
    global _limiter
    if _limiter is None:  # made in the running loop, on first use
        _limiter = anyio.CapacityLimiter(CONCURRENT)
    return await anyio.to_thread.run_sync(function, *args, limiter=_limiter)


@lru_cache(maxsize=4)
def _passwords(memory_kib: int, time_cost: int, parallelism: int) -> Passwords:
    return Passwords(memory_kib, time_cost, parallelism)


def passwords(settings: Settings) -> Passwords:
    """The hasher for these settings' parameters (made once per process)."""
    return _passwords(
        settings.password_memory_kib, settings.password_time_cost, settings.password_parallelism
    )
