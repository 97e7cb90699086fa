"""The console's account pages, in zh and en: a person signs up, confirms the address by
the mailed link, signs in with a password (a session cookie), creates a personal token,
switches a notification off, turns on the second factor, signs out, signs in with a code
and signs out everywhere;
forgets the password and sets a new one by the mailed link; an invitee opens the
invitation, signs up, signs in and accepts it."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
import pyotp
import pytest
from playwright.async_api import expect

from hub.db.driver import Database
from tests import factories
from tests.accounts.common import NEW_PASSWORD, PASSWORD, mails
from tests.members.common import INVITE, caller
from tests.web.conftest import Console, Opener


async def follow_mailed_link(console: Console, db: Database, email: str, template: str) -> None:
    """Opens the console page of the last `template` mail to `email` (its link's fragment)."""
    link = (await mails(db, email, template))[-1]["values"]["link"]
    assert urlsplit(link).path == "/console/"
    await console.go(urlsplit(link).fragment.lstrip("/"))


async def _muted(db: Database, email: str) -> list[str]:
    """The notification kinds the person switched off, as stored."""
    rows = await db.read(
        lambda tx: tx.records(
            "MATCH (p:Person {handle: $h}) RETURN coalesce(p.muted_notifications, []) AS m",
            h=email,
        )
    )
    return list(rows[0]["m"]) if rows else []


async def sign_in(console: Console, email: str, password: str) -> None:
    await console.page.get_by_label(console.text("电子邮箱", "E-mail address")).fill(email)
    await console.page.get_by_label(console.text("密码", "Password"), exact=True).fill(password)
    await console.page.get_by_role(
        "button", name=console.text("登录", "Sign in"), exact=True
    ).click()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_sign_up_confirm_sign_in_token_sign_out(
    clean: Database, open_console: Opener, lang: str
) -> None:
    console = await open_console(lang)
    page, text = console.page, console.text
    email = f"wang.{lang}@startup.test"
    await page.goto(console.base_url + "/")
    await page.get_by_role("link", name=text("注册新账户", "Sign up")).click()
    await page.get_by_label(text("电子邮箱", "E-mail address")).fill(email)
    await page.get_by_label(text("密码", "Password"), exact=True).fill(PASSWORD)
    await page.get_by_label(text("姓名", "Your name")).fill("王工")
    await page.get_by_role("button", name=text("注册", "Sign up"), exact=True).click()
    await expect(
        page.get_by_role("heading", name=text("请查收邮件", "Check your mail"))
    ).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text(email)
    await console.shot(f"accounts-signed-up-{lang}")

    await follow_mailed_link(console, clean, email, "confirm_email")
    await expect(page.get_by_role("status")).to_have_text(
        text(
            "您的电子邮箱已确认，现在可以登录。",
            "Your e-mail address is confirmed: you can sign in now.",
        )
    )
    await console.shot(f"accounts-confirmed-{lang}")
    await page.get_by_role("link", name=text("前往登录", "Go to sign-in")).click()
    await sign_in(console, email, PASSWORD)
    welcome = text(f"您好，{email}", f"Welcome, {email}")
    await expect(page.get_by_role("heading", name=welcome)).to_be_visible()
    cookies = {c["name"]: c for c in await console.context.cookies()}
    assert cookies["__Host-hub_session"]["httpOnly"]

    await page.get_by_role("link", name=email).click()
    await expect(page.get_by_role("heading", name=text("我的账户", "My account"))).to_be_visible()
    await page.get_by_label(text("名称", "Name"), exact=True).fill("ci-bot")
    await page.get_by_role("button", name=text("创建令牌", "Create a token")).click()
    secret = page.get_by_label(text("新令牌", "New token"))
    await expect(secret).to_contain_text("hub_")
    table = page.get_by_role("table", name=text("个人 API 令牌", "Personal API tokens"))
    await expect(table).to_contain_text("ci-bot")
    await expect(table).to_contain_text(text("有效", "Active"))
    await console.shot(f"accounts-tokens-{lang}")

    quotes = page.get_by_label(text("收到报价", "A quote received"))
    await expect(quotes).to_be_checked()
    await quotes.uncheck()
    await expect(quotes).not_to_be_checked()
    await page.reload()  # shown as stored
    await expect(page.get_by_label(text("收到报价", "A quote received"))).not_to_be_checked()
    assert await _muted(clean, email) == ["quote_received"]

    await page.get_by_role("button", name=text("开启两步验证", "Turn on the second factor")).click()
    key = await page.get_by_label(text("验证器密钥", "Authenticator key")).inner_text()
    await page.get_by_label(text("验证码", "Authenticator code")).fill(pyotp.TOTP(key).now())
    await page.get_by_role("button", name=text("确认并开启", "Confirm and turn on")).click()
    await expect(
        page.get_by_text(text("两步验证已开启。", "The second factor is on."))
    ).to_be_visible()

    await page.get_by_role("button", name=text("退出登录", "Sign out"), exact=True).click()
    await expect(page.get_by_label(text("电子邮箱", "E-mail address"))).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("heading", name=text("登录", "Sign in"))).to_be_visible()
    # Signing in again asks for the app's code (the next step's: each step is used once).
    await sign_in(console, email, PASSWORD)
    code = page.get_by_label(text("验证码", "Authenticator code"))
    await expect(code).to_be_visible()
    await code.fill(pyotp.TOTP(key).at(time.time() + 30))
    await page.get_by_role("button", name=text("登录", "Sign in"), exact=True).click()
    await expect(page.get_by_role("heading", name=welcome)).to_be_visible()

    await console.go("account")
    await page.get_by_role("button", name=text("在所有设备上退出", "Sign out everywhere")).click()
    await expect(page.get_by_role("heading", name=text("登录", "Sign in"))).to_be_visible()
    assert "__Host-hub_session" not in {c["name"] for c in await console.context.cookies()}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_forgotten_password_is_reset_by_the_mailed_link(
    clean: Database, open_console: Opener, lang: str
) -> None:
    console = await open_console(lang)
    page, text = console.page, console.text
    email = f"li.{lang}@cdmo.test"
    await console.go("sign-up")
    await page.get_by_label(text("电子邮箱", "E-mail address")).fill(email)
    await page.get_by_label(text("密码", "Password"), exact=True).fill(PASSWORD)
    await page.get_by_role("button", name=text("注册", "Sign up"), exact=True).click()
    await expect(
        page.get_by_role("heading", name=text("请查收邮件", "Check your mail"))
    ).to_be_visible()
    await follow_mailed_link(console, clean, email, "confirm_email")
    await expect(page.get_by_role("status")).to_contain_text(text("已确认", "is confirmed"))

    await console.go("sign-in")
    await page.get_by_role("link", name=text("忘记密码？", "Forgot your password?")).click()
    await page.get_by_label(text("电子邮箱", "E-mail address")).fill(email)
    await page.get_by_role("button", name=text("发送链接", "Send the link")).click()
    await expect(page.get_by_role("status")).to_contain_text(
        text(f"如果 {email} 有账户", f"If {email} has an account")
    )
    await follow_mailed_link(console, clean, email, "reset_password")
    await page.get_by_label(text("新密码", "New password")).fill("short")
    await page.get_by_role("button", name=text("保存新密码", "Save the new password")).click()
    await expect(page.get_by_label(text("新密码", "New password"))).to_have_attribute(
        "aria-invalid", "true"
    )
    await page.get_by_label(text("新密码", "New password")).fill(NEW_PASSWORD)
    await page.get_by_role("button", name=text("保存新密码", "Save the new password")).click()
    await expect(page.get_by_role("status")).to_have_text(
        text("新密码已保存，请用它登录。", "The new password is saved: sign in with it.")
    )
    await console.shot(f"accounts-reset-{lang}")

    await page.get_by_role("link", name=text("前往登录", "Go to sign-in")).click()
    await sign_in(console, email, PASSWORD)
    password = page.get_by_label(text("密码", "Password"), exact=True)
    await expect(password).to_have_accessible_description(
        text("电子邮箱、密码或验证码不正确", "The e-mail address, password or code is wrong")
    )
    await sign_in(console, email, NEW_PASSWORD)
    await expect(
        page.get_by_role("heading", name=text(f"您好，{email}", f"Welcome, {email}"))
    ).to_be_visible()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_invitee_signs_up_signs_in_and_accepts_from_the_link(
    clean: Database, client: httpx.AsyncClient, open_console: Opener, lang: str
) -> None:
    uscc = await factories.organization(clean, 1, "示例药业（虚构）", "Example Pharma (fictional)")
    boss = await caller(client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    email = f"zhao.{lang}@firm.test"
    invited = await boss.one(INVITE, u=uscc, e=email, r="PROVIDER", l=lang)
    assert invited["__typename"] == "Invited", invited
    console = await open_console(lang)
    page, text = console.page, console.text

    await follow_mailed_link(console, clean, email, "invitation")
    heading = text("邀请您加入：示例药业（虚构）", "You are invited to Example Pharma (fictional)")
    await expect(page.get_by_role("heading", name=heading)).to_be_visible()
    await expect(page.get_by_text(text("服务方成员", "Provider member"))).to_be_visible()
    await console.shot(f"accounts-invitation-{lang}")
    await page.get_by_role("link", name=text("注册新账户", "Sign up")).click()
    await expect(page.get_by_label(text("电子邮箱", "E-mail address"))).to_have_value(email)
    await page.get_by_label(text("密码", "Password"), exact=True).fill(PASSWORD)
    await page.get_by_role("button", name=text("注册", "Sign up"), exact=True).click()
    await expect(
        page.get_by_role("heading", name=text("请查收邮件", "Check your mail"))
    ).to_be_visible()
    await follow_mailed_link(console, clean, email, "confirm_email")
    await expect(page.get_by_role("status")).to_contain_text(text("已确认", "is confirmed"))

    # Back to the invitation: signing in from it comes back to it.
    await follow_mailed_link(console, clean, email, "invitation")
    await page.get_by_role("link", name=text("登录", "Sign in"), exact=True).click()
    await sign_in(console, email, PASSWORD)
    await page.get_by_role("button", name=text("接受邀请", "Accept the invitation")).click()
    await expect(page.get_by_role("status")).to_have_text(
        text("您已接受邀请。", "You have accepted the invitation.")
    )
    nav = page.get_by_role("navigation", name=text("主导航", "Main navigation"))
    await expect(nav.get_by_role("link", name=text("需求收件箱", "Request inbox"))).to_be_visible()
