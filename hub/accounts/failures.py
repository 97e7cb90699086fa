"""The expected failures of signing in, beyond a field's bad value (hub/errors.py's tree).

InvalidInput
 ├── BadCredentials         BAD_CREDENTIALS: e-mail, password or code wrong (never which)
 └── SecondFactorRequired   SECOND_FACTOR_REQUIRED: send `totpCode` too
Conflict
 └── EmailNotConfirmed      EMAIL_NOT_CONFIRMED: a new confirmation link was sent
NotAuthenticated
 └── SessionRequired        401: only a person signed in to the console may do this
Forbidden
 └── CsrfRefused            CSRF: a cookie-borne request without proof of its origin
"""

from __future__ import annotations

from hub.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated


class BadCredentials(InvalidInput):
    code = "BAD_CREDENTIALS"

    def __init__(self, field: str = "password") -> None:
        super().__init__(
            "The e-mail address, password or code is wrong",
            "电子邮箱、密码或验证码不正确",
            field=field,
        )


class SecondFactorRequired(InvalidInput):
    code = "SECOND_FACTOR_REQUIRED"

    def __init__(self) -> None:
        super().__init__(
            "totp_code: enter the 6-digit code from your authenticator app",
            "totp_code：请输入验证器应用显示的 6 位验证码",
            field="totp_code",
        )


class EmailNotConfirmed(Conflict):
    code = "EMAIL_NOT_CONFIRMED"

    def __init__(self) -> None:
        super().__init__(
            "email: not confirmed yet; we have sent you a new link to confirm it",
            "email：尚未确认；我们已向您发送新的确认链接",
            field="email",
        )


class SessionRequired(NotAuthenticated):
    def __init__(self) -> None:
        super().__init__()
        self.message_en = "Sign in to the console with your e-mail address and password"
        self.message_zh = "请用电子邮箱和密码登录控制台"


class CsrfRefused(Forbidden):
    code = "CSRF"

    def __init__(self, why_en: str, why_zh: str) -> None:
        super().__init__(
            f"Refused: a request signed in by cookie must come from the console ({why_en})",
            f"已拒绝：以 Cookie 登录的请求必须来自控制台（{why_zh}）",
            field="x-hub-csrf",
        )
