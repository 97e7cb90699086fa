"""Every kind renders in both languages from one source; values are escaped in HTML and
only there; links start with the public URL; a missing value is an error, not a gap."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from hub.mail.kinds import Kind
from hub.mail.render import LANGUAGES, RenderError, render
from hub.mail.samples import SAMPLES

PUBLIC = "http://127.0.0.1:8000"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


class _Texts(HTMLParser):
    """The text a reader of the HTML part sees, and the elements it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read_html(html: str) -> _Texts:
    parser = _Texts()
    parser.feed(html)
    return parser


def test_every_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(Kind)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_in_both_languages(kind: Kind, language: str) -> None:
    rendered = render(kind, language, SAMPLES[kind], PUBLIC)
    assert rendered.subject and "\n" not in rendered.subject
    assert rendered.text.strip() and "{{" not in rendered.text and "{%" not in rendered.text
    assert rendered.links
    assert all(link.startswith(PUBLIC + "/console/#/") for link in rendered.links)
    for link in rendered.links:
        assert link in rendered.text
    assert f'lang="{"zh-CN" if language == "zh" else "en"}"' in rendered.html


@pytest.mark.parametrize("kind", list(Kind))
def test_the_two_languages_say_it_differently(kind: Kind) -> None:
    zh, en = (render(kind, language, SAMPLES[kind], PUBLIC) for language in ("zh", "en"))
    assert zh.subject != en.subject
    assert zh.text != en.text and zh.html != en.html
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh.text)


def test_a_value_in_both_languages_is_read_in_the_recipients() -> None:
    values = SAMPLES[Kind.AWARDED]
    assert values["organization_name"]["zh"] in render(Kind.AWARDED, "zh", values, PUBLIC).subject
    assert values["organization_name"]["en"] in render(Kind.AWARDED, "en", values, PUBLIC).subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_values_are_escaped_in_html_and_kept_as_they_are_in_text(language: str) -> None:
    values = {**SAMPLES[Kind.DEADLINE_SOON], "request_title": HOSTILE}
    rendered = render(Kind.DEADLINE_SOON, language, values, PUBLIC)
    assert HOSTILE in rendered.text
    assert HOSTILE in rendered.subject
    assert "<script>" not in rendered.html and "<b>" not in rendered.html
    seen = _read_html(rendered.html)
    assert "script" not in seen.tags and "b" not in seen.tags
    assert any(HOSTILE in text for text in seen.text)  # shown to the reader as written


def test_a_link_given_as_a_value_is_kept_in_text_escaped_in_html_and_remembered() -> None:
    given = PUBLIC + '/console/#/confirm-email?token=a-b_c&x="><script>'
    values = {**SAMPLES[Kind.CONFIRM_EMAIL], "link": given}
    rendered = render(Kind.CONFIRM_EMAIL, "en", values, PUBLIC)
    assert rendered.links == (given,)
    assert given in rendered.text
    escaped = PUBLIC + "/console/#/confirm-email?token=a-b_c&amp;x=&#34;&gt;&lt;script&gt;"
    assert f'href="{escaped}"' in rendered.html and "<script>" not in rendered.html


def test_links_to_pages_encode_their_parts() -> None:
    values = {**SAMPLES[Kind.QUOTE_RECEIVED], "request_id": "a/b c"}
    rendered = render(Kind.QUOTE_RECEIVED, "en", values, PUBLIC + "/")
    assert PUBLIC + "/console/#/requests/a%2Fb%20c" in rendered.links


def test_account_messages_carry_no_link_to_switch_them_off() -> None:
    confirm = render(Kind.CONFIRM_EMAIL, "en", SAMPLES[Kind.CONFIRM_EMAIL], PUBLIC)
    routed = render(Kind.REQUEST_ROUTED, "en", SAMPLES[Kind.REQUEST_ROUTED], PUBLIC)
    settings = PUBLIC + "/console/#/notifications"
    assert settings not in confirm.links
    assert settings in routed.links


def test_instants_are_shown_in_china_time() -> None:
    values = {**SAMPLES[Kind.DEADLINE_SOON], "deadline": "2027-03-02T18:30:00.123456789Z"}
    assert "2027年3月3日 02:30（北京时间）" in render(Kind.DEADLINE_SOON, "zh", values, PUBLIC).text
    assert "2027-03-03 02:30 (China time" in render(Kind.DEADLINE_SOON, "en", values, PUBLIC).text


def test_a_missing_value_is_an_error() -> None:
    values = dict(SAMPLES[Kind.REQUEST_ROUTED])
    del values["deadline"]
    with pytest.raises(RenderError, match="deadline"):
        render(Kind.REQUEST_ROUTED, "en", values, PUBLIC)


def test_a_value_named_like_what_templates_read_is_an_error() -> None:
    with pytest.raises(RenderError, match="page"):
        render(Kind.AWARDED, "en", {**SAMPLES[Kind.AWARDED], "page": "x"}, PUBLIC)


@pytest.mark.parametrize(("template", "language"), [("no_such_kind", "en"), ("awarded", "fr")])
def test_an_unknown_template_or_language_is_an_error(template: str, language: str) -> None:
    with pytest.raises(RenderError):
        render(template, language, SAMPLES[Kind.AWARDED], PUBLIC)
