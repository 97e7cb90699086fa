"""Read-your-own-writes across hub processes, with Neo4j bookmarks.

A response to a request that wrote carries `X-Hub-Bookmark`: the bookmarks of its writes.
A client that sends them back on its next request (to any hub process behind the load
balancer) has every read of that request wait until the database has those writes. With
one Neo4j server this always holds anyway; in a cluster, where a read may go to a
follower that is behind, this is what makes it hold.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.db.driver import causal

HEADER = b"x-hub-bookmark"
MAX_BOOKMARKS = 16
BOOKMARK = re.compile(r"^[A-Za-z0-9:_+/=.-]{1,200}$")


def _seen(scope: Scope) -> frozenset[str]:
    for name, value in scope.get("headers", []):
        if name == HEADER:
            parts = value.decode("latin-1").split(",")
            return frozenset(p.strip() for p in parts[:MAX_BOOKMARKS] if BOOKMARK.match(p.strip()))
    return frozenset()


class BookmarkMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with causal(_seen(scope)) as made:

            async def send_with_bookmarks(message: Message) -> None:
                if message["type"] == "http.response.start" and made:
                    value = ",".join(sorted(made)).encode()
                    message["headers"] = [*message.get("headers", []), (HEADER, value)]
                await send(message)

            await self.app(scope, receive, send_with_bookmarks)
