"""What sign-up and sign-in read of their input: each check names the field it is about."""

from __future__ import annotations

import re

from hub.accounts.model import LANGUAGES, Language
from hub.errors import invalid
from hub.values import plain

MAX_EMAIL = 254  # RFC 5321's limit on a path, so on any address that can receive mail
# One @, something on each side, a dot in the domain, no spaces or angle brackets.
EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+$")


def email(field: str, value: str) -> str:
    """The address as accounts are keyed by: trimmed, lower case (one account however the
    address is capitalised)."""
    address = value.strip().lower()
    if not address:
        raise invalid(field, "is required", "不能为空")
    if len(address) > MAX_EMAIL:
        raise invalid(field, f"may have at most {MAX_EMAIL} characters", f"最多 {MAX_EMAIL} 个字符")
    if not EMAIL.match(plain(field, address)):
        raise invalid(field, "is not an e-mail address", "不是有效的电子邮箱地址")
    return address


def display_name(field: str, value: str) -> str:
    name = plain(field, value.strip())
    if len(name) > 100:
        raise invalid(field, "may have at most 100 characters", "最多 100 个字符")
    return name


def language(field: str, value: str) -> Language:
    code = value.strip().lower()
    for known in LANGUAGES:
        if code == known:
            return known
    raise invalid(field, "must be zh or en", "必须是 zh 或 en")


def code(field: str, value: str) -> str:
    """A six-digit code from an authenticator app (spaces allowed, as apps show them)."""
    digits = value.replace(" ", "")
    if not (len(digits) == 6 and digits.isascii() and digits.isdigit()):
        raise invalid(
            field, "must be the 6 digits your authenticator app shows", "须为验证器显示的 6 位数字"
        )
    return digits
