"""The catalogue's cast: functions, and entries made through the real services (so what an
entry derives, its open-source flag and licence family, comes from the rule, not a factory)."""

from __future__ import annotations

import pytest

from catalogue import services
from catalogue.models import FunctionCategory, ProgrammingLanguage, Software
from members.models import Language


@pytest.fixture
def membership_function(db):
    return FunctionCategory.objects.create(name="Membership", slug="membership", position=1)


@pytest.fixture
def communication_function(db):
    return FunctionCategory.objects.create(name="Communication", slug="communication", position=2)


@pytest.fixture
def python_language(db):
    return ProgrammingLanguage.objects.create(name="Python", slug="python")


@pytest.fixture
def make_software(network_admin, membership_function):
    """`make_software(name="Loomio", licence="AGPL-3.0-or-later", m2m={...})`: an entry made by
    the service as a network admin, published unless `status` says otherwise."""

    def make(name: str = "Civi Members", *, m2m: dict | None = None, **data) -> Software:
        fields = {
            "name": name,
            "summary": f"{name} keeps a co-op's members, dues and newsletters.",
            "licence": "AGPL-3.0-or-later",
            "features": ["Member register", "Dues and reminders"],
            "status": Software.Status.PUBLISHED,
            **data,
        }
        related = {"categories": [membership_function], **(m2m or {})}
        return services.software_create(actor=network_admin, data=fields, m2m=related)

    return make


@pytest.fixture
def english(db):
    return Language.objects.get_or_create(code="en", defaults={"name": "English"})[0]


@pytest.fixture
def live_server_file():
    """`live_server_file(body)`: the URL of a file served once on this machine (127.0.0.1), as
    a maintainer's repository would serve a publiccode.yml."""
    import contextlib
    import http.server
    import threading

    servers = []

    def serve(body: bytes) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/yaml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The reader may stop at its size limit.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/publiccode.yml"

    yield serve
    for server in servers:
        server.shutdown()
