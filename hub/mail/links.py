"""Links in messages: the console's pages, as a recipient's browser reaches them.

The console routes by the URL's fragment (`/console/#/requests/ID`, web/console/router.ts),
so a one-time token rides in the fragment: browsers send neither it to the server nor it
in a Referer header, and it stays out of access logs. The pages named here are the
console's contract with e-mail: a page that moves must move here too.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

PAGES: dict[str, str] = {
    "confirm_email": "account/confirm",
    "reset_password": "account/reset",
    "invitation": "account/invitation",
    "notifications": "account/notifications",
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
        url = self.base + path + ("?" + urlencode(query) if query else "")
        if url not in self.made:
            self.made.append(url)
        return url
