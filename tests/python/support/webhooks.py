"""The webhook receiver of the tests: an HTTP server on 127.0.0.1 that records every delivery."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# How long a test waits for deliveries to arrive.
WAIT_S = 20.0


class Receiver:
    """An HTTP server on 127.0.0.1:0 that records every POST and answers 204."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        lock = self.lock = threading.Lock()
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with lock:
                    received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def for_company(self, company_id: str) -> list[tuple[dict, bytes]]:
        with self.lock:
            items = list(self.received)
        return [
            (h, b) for h, b in items
            if json.loads(b)["payload"].get("referenceCompany", {}).get("id") == company_id
        ]

    def wait_for(self, company_id: str, types: set[str]) -> list[tuple[dict, bytes]]:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            got = self.for_company(company_id)
            if types <= {json.loads(b)["eventType"] for _, b in got}:
                return got
            time.sleep(0.1)
        pytest.fail(f"expected {types}, received {[json.loads(b)['eventType'] for _, b in got]}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
