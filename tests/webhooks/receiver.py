"""A real HTTP receiver on 127.0.0.1 that records every webhook it is sent; it can be
stopped and started again on the same port (an outage), answer with any status, or be slow."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hub.db.server import free_port


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def sequence(self) -> int:
        return int(self.payload["data"]["sequence"])


@dataclass
class Receiver:
    status: int = 204
    location: str | None = None  # sent with a 3xx status
    delay_s: float = 0.0
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                time.sleep(receiver.delay_s)
                with receiver._lock:
                    receiver.received.append(Received(dict(self.headers.items()), body))
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("location", receiver.location)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def sequences(self) -> list[int]:
        return [m.sequence for m in self.messages()]

    async def wait_for(self, count: int, timeout_s: float = 30) -> list[Received]:
        """Wait until `count` distinct messages arrived (or fail after `timeout_s`)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if len({m.headers["webhook-id"] for m in self.messages()}) >= count:
                return self.messages()
            await asyncio.sleep(0.05)
        raise AssertionError(f"{count} messages expected, got {self.sequences()}")
