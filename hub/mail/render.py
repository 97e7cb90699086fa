"""Rendering a message in its recipient's language: subject, plain text and HTML.

Jinja2 (Pallets), because the HTML part must escape every value and Jinja2 does that by
itself (`autoescape`), with template inheritance for the shared layout; `string.Template`
would leave escaping to each call site, where it is one day forgotten. The templates are
the hub's own files, never a user's, so no sandbox is needed.

One source per kind and language (`templates/<lang>/<kind>.txt`) is compiled twice: by
an environment that escapes (rendering it into `<lang>/layout.html`) and by one that does
not (into `<lang>/layout.txt`, and for the subject). So the text and HTML parts cannot
say different things. A missing value is an error (`StrictUndefined`), never an empty gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from hub.mail.kinds import Kind
from hub.mail.links import Links
from hub.mail.outbox import Language
from hub.mail.wording import FILTERS

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES: tuple[Language, ...] = ("zh", "en")
# What templates read besides the values: a link to a console page (`page("inbox")`), a
# link given as a value (`url(link)`), the layout, and whether the kind can be switched off.
RESERVED = frozenset({"language", "page", "url", "layout", "switchable"})


class RenderError(Exception):
    """The message cannot be rendered (unknown template or language, a value missing): it
    never will be, so it is not retried."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    links: tuple[str, ...]


def _environment(autoescape: bool) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=autoescape,  # noqa: S701 - off only for the plain text and the subject
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters.update(FILTERS)
    return environment


TEXT = _environment(autoescape=False)
HTML = _environment(autoescape=True)


def render(template: str, language: str, values: dict[str, Any], public_url: str) -> Rendered:
    if template not in Kind.__members__.values() or language not in LANGUAGES:
        raise RenderError(f"no template {template!r} in {language!r}")
    if RESERVED & values.keys():
        raise RenderError(f"values may not be named {sorted(RESERVED & values.keys())}")
    links = Links(public_url)
    context = {
        **values,
        "language": language,
        "page": links,
        "url": links.given,
        "switchable": Kind(template).switchable,
    }
    name = f"{language}/{template}.txt"
    try:
        text_template = TEXT.get_template(name)
        blocks = text_template.new_context({**context, "layout": f"{language}/layout.txt"})
        subject = "".join(text_template.blocks["subject"](blocks))
        text = text_template.render({**context, "layout": f"{language}/layout.txt"})
        html = HTML.get_template(name).render({**context, "layout": f"{language}/layout.html"})
    except (TemplateError, KeyError, ValueError, TypeError) as error:
        raise RenderError(f"{name}: {error}") from error
    return Rendered(_one_line(subject), text.strip() + "\n", html, tuple(links.made))


def _one_line(subject: str) -> str:
    """A subject is one header line, whatever a value held."""
    return re.sub(r"\s+", " ", subject).strip()
