"""A real webhook receiver on a loopback port, answering with scripted status codes.

With a webhook secret it behaves as Harbor asks integrators to: it checks the signature
(400 for a bad one, nothing processed), then processes each event id once and answers 2xx to
any redelivery of it without processing again (delivery is at least once, see the README).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from examples.harbor.webhooks.signing import SIGNATURE_HEADER, verify

__all__ = ["Delivery", "Receiver"]


@dataclass(frozen=True)
class Delivery:
    headers: dict[str, str]
    body: bytes
    status: int
    at: float  # time.monotonic() when it arrived


class Receiver:
    """Records every POST; answers the scripted statuses in turn, then `default`.

    `delay` seconds pass before each answer (a slow receiver); with `secret`, signatures are
    verified and events deduplicated by id (`processed` holds each event once).
    """

    def __init__(
        self,
        statuses: list[int] | None = None,
        *,
        secret: str | None = None,
        delay: float = 0.0,
        default: int = 204,
    ) -> None:
        self.script = list(statuses or [])
        self.secret = secret
        self.delay = delay
        self.default = default
        self.deliveries: list[Delivery] = []
        self.processed: dict[str, bytes] = {}
        self.redeliveries = 0  # deliveries of an event already processed (answered 2xx)
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._receive(headers, body)
                if receiver.delay:
                    time.sleep(receiver.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender timed out and went away: it will deliver again

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _receive(self, headers: dict[str, str], body: bytes) -> int:
        with self._changed:
            status = self.script.pop(0) if self.script else self.default
            if self.secret is not None and status < 300:
                status = self._process(headers, body)
            self.deliveries.append(Delivery(headers, body, status, time.monotonic()))
            self._changed.notify_all()
        return status

    def _process(self, headers: dict[str, str], body: bytes) -> int:
        assert self.secret is not None
        if not verify(self.secret, headers.get(SIGNATURE_HEADER.lower(), ""), body):
            return 400
        event_id = headers["harbor-event-id"]
        if event_id in self.processed:
            self.redeliveries += 1
        else:
            self.processed[event_id] = body
        return 204

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        """Block until `count` deliveries arrived (fails the test after `timeout` s)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.deliveries)} deliveries, expected {count}")
                self._changed.wait(left)
            return list(self.deliveries)

    def wait_processed(self, event_ids: set[str], timeout: float) -> None:
        """Block until every one of `event_ids` was processed (fails after `timeout` s)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not event_ids <= self.processed.keys():
                left = deadline - time.monotonic()
                if left <= 0:
                    missing = len(event_ids - self.processed.keys())
                    raise AssertionError(f"{missing} of {len(event_ids)} events never processed")
                self._changed.wait(left)
