"""A Murmurations index on loopback: a real HTTP server in a thread that speaks the index API's
version 2 (`POST /v2/nodes`, `GET` and `DELETE /v2/nodes/{node_id}`), records every request and
answers POST and DELETE with the statuses a test gives it, in order (then `then`)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import override_settings


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any = None


@dataclass
class FakeIndex:
    answers: list[int] = field(default_factory=list)
    then: int = 200
    calls: list[Call] = field(default_factory=list)
    # node id: the index's status for it
    nodes: dict[str, str] = field(default_factory=dict)
    # node id: the reasons its validation failed
    invalid: dict[str, list[str]] = field(default_factory=dict)
    port: int = 0
    # Called with each POST or DELETE before it is answered (a change made meanwhile).
    during: Callable[[Call], None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v2"

    def answer(self) -> int:
        return self.answers.pop(0) if self.answers else self.then

    def sent(self, method: str | None = None) -> list[Call]:
        return [call for call in self.calls if method is None or call.method == method]


def node_id(profile_url: str) -> str:
    return hashlib.sha256(profile_url.encode()).hexdigest()


ERROR = {"errors": [{"title": "Database Error", "detail": "Error when trying.", "status": 500}]}


@contextmanager
def running_index(*answers: int, then: int = 200) -> Iterator[FakeIndex]:
    """Run the index on 127.0.0.1 until the block ends, with MURMURATIONS_INDEX_URL set to it."""
    index = FakeIndex(answers=list(answers), then=then)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, body: Any) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _node(self) -> str:
            return self.path.removeprefix("/v2/nodes/")

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = json.loads(raw or b"null")
            call = Call("POST", self.path, body)
            if index.during is not None:
                index.during(call)
            with lock:
                index.calls.append(call)
                status = index.answer()
                if status >= 300 or self.path != "/v2/nodes":
                    self._reply(status if status >= 300 else 404, ERROR)
                    return
                found = node_id(body["profile_url"])
                index.nodes[found] = "received"
            self._reply(status, {"data": {"node_id": found, "status": "received"}})

        def do_GET(self) -> None:
            found = self._node()
            with lock:
                index.calls.append(Call("GET", self.path))
                status, reasons = index.nodes.get(found), index.invalid.get(found)
            if reasons:
                errors = [{"title": "Invalid", "detail": r, "status": 400} for r in reasons]
                meta = {"node_id": found, "profile_url": "…"}
                self._reply(400, {"errors": errors, "meta": meta})
            elif status is None:
                self._reply(404, {"errors": [{"title": "Node Not Found", "status": 404}]})
            else:
                self._reply(200, {"data": {"node_id": found, "status": status}})

        def do_DELETE(self) -> None:
            found = self._node()
            call = Call("DELETE", self.path)
            if index.during is not None:
                index.during(call)
            with lock:
                index.calls.append(call)
                status = index.answer()
                if status >= 300:
                    self._reply(status, ERROR)
                    return
                known = index.nodes.pop(found, None)
            if known is None:
                self._reply(404, {"errors": [{"title": "Node Not Found", "status": 404}]})
            else:
                self._reply(200, {"meta": {"message": "The Index has recorded as deleted …"}})

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    index.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(MURMURATIONS_INDEX_URL=index.url):
            yield index
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
