"""Links in messages: the console's pages, as a recipient's browser reaches them.

The console routes by the URL's fragment (`/console/#/requests/ID`, web/console/router.ts).
The pages named here are the console's contract with e-mail: a page that moves must move
here too. Links that carry a one-time token (confirm, reset, invitation) are made by the
area that keeps the token (hub/accounts/links.py) and given to the template as a value;
the template passes them through `url(...)` so that they are remembered all the same;
pages are linked with `page("inbox", match=...)`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

PAGES: dict[str, str] = {
    "notifications": "notifications",  # the person's notification settings
    "request": "requests",  # /<request id>: the requester's view of a request
    "inbox": "inbox",  # ?match=<match id>: the provider's view of a match
    "certificates": "certificates",
    "capacity": "capacity",
    "verification": "verification",  # the verifiers' queue of firms
}


class Links:
    """Builds the links of one message and remembers them (the `.eml` transport logs them)."""

    def __init__(self, public_url: str) -> None:
        self.base = public_url.rstrip("/") + "/console/#/"
        self.made: list[str] = []

    def __call__(self, page: str, *parts: str, **query: str) -> str:
        path = "/".join([PAGES[page], *(quote(str(p), safe="") for p in parts)])
        return self.given(self.base + path + ("?" + urlencode(query) if query else ""))

    def given(self, url: str) -> str:
        """A link made elsewhere (a value), remembered like the others."""
        if url not in self.made:
            self.made.append(url)
        return url
