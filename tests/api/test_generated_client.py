"""A partner generates a Python client from our schema and reads the whole demo network with it.

`openapi-python-client` (the version pinned among the dev dependencies) is run as a partner
runs it, on the schema the server publishes, into a temporary folder; the client is imported
and every list operation is paged through, anonymously and with a read token. Every item must
parse into the generated models, with no field the schema does not name: a field documented as
never null that is null, a time in another format or a shape the schema does not describe
fails here as it would fail in the partner's tool.
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlparse

import attrs
import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework import throttling

from accounts.models import ApiToken, User

PACKAGE = "patio_partner_client"
READER = "coordinator@patio.example"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client a partner generates from our schema, imported."""
    folder = tmp_path_factory.mktemp("generated-client")
    schema = folder / "openapi.json"
    generated = SchemaGenerator().get_schema(request=None, public=True)
    schema.write_bytes(OpenApiJsonRenderer().render(generated))
    config = folder / "config.yaml"
    # No formatter run on the generated code; a publiccode.yml (application/yaml) reads as text.
    config.write_text("post_hooks: []\ncontent_type_overrides:\n  application/yaml: text/plain\n")
    generator = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # The generator skips what it cannot read with a warning; our schema gives it none.
    assert "Warning" not in output, output
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture
def demo(db, monkeypatch: pytest.MonkeyPatch) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    # Paging every list twice is more than the anonymous budget; budgets are tested elsewhere.
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {scope: "1000000/minute" for scope in ("token", "anon", "user")},
    )


@pytest.fixture
def transport() -> Iterator[httpx.WSGITransport]:
    """Requests answered by Django in this thread, inside the test's transaction. As Django's
    test client does, connections are not closed at each request's end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield httpx.WSGITransport(app=WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _read_token() -> str:
    prefix, secret = ApiToken.new_secret()
    ApiToken.objects.create(
        name="generated client",
        user=User.objects.get(email=READER),
        scope=ApiToken.Scope.READ,
        prefix=prefix,
        secret_hash=ApiToken.hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return secret


def list_operations(package: ModuleType) -> dict[str, ModuleType]:
    api = importlib.import_module(f"{PACKAGE}.api")
    found = {}
    for module in pkgutil.walk_packages(api.__path__, prefix=f"{PACKAGE}.api."):
        if module.name.endswith("_list"):
            found[module.name.rsplit(".", 1)[1]] = importlib.import_module(module.name)
    return found


def _undocumented(value: Any, where: str) -> Iterator[str]:
    """Fields the response carried that the schema does not name, anywhere in a parsed item."""
    if attrs.has(type(value)):
        extra = getattr(value, "additional_properties", {})
        if extra:
            yield f"{where}: {sorted(extra)}"
        for field in attrs.fields(type(value)):
            if field.name != "additional_properties":
                yield from _undocumented(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _undocumented(item, f"{where}[{number}]")


def _read_every_page(operation: ModuleType, client: Any, name: str, problems: list[str]) -> int:
    """Page through one list; the number of items parsed, the failures added to `problems`."""
    problem_model = importlib.import_module(f"{PACKAGE}.models").Problem
    cursor: Any = importlib.import_module(f"{PACKAGE}.types").UNSET
    parsed_items = 0
    while True:
        try:
            response = operation.sync_detailed(client=client, page_size=100, cursor=cursor)
        except Exception as error:  # any parse error, reported by operation
            problems.append(f"{name}: {type(error).__name__}: {error}")
            return parsed_items
        if response.status_code in (401, 403):
            if not isinstance(response.parsed, problem_model):
                problems.append(f"{name}: a {response.status_code} that is not a Problem")
            return parsed_items
        if response.status_code != 200 or response.parsed is None:
            problems.append(f"{name}: {response.status_code} {response.content[:200]!r}")
            return parsed_items
        page = response.parsed
        sent = len(json.loads(response.content)["results"])
        if len(page.results) != sent:
            problems.append(f"{name}: {len(page.results)} of {sent} items parsed")
        problems.extend(_undocumented(page, name))
        parsed_items += len(page.results)
        if not isinstance(page.next_, str):
            return parsed_items
        cursor = parse_qs(urlparse(page.next_).query)["cursor"][0]


@pytest.mark.parametrize("caller", ["anonymous", "read token"])
def test_a_generated_client_reads_every_list_of_the_demo_network(
    client_package, demo, transport, caller
):
    base = {"base_url": "http://testserver", "httpx_args": {"transport": transport}}
    if caller == "anonymous":
        client: Any = client_package.Client(**base)
    else:
        client = client_package.AuthenticatedClient(token=_read_token(), **base)
    operations = list_operations(client_package)
    assert len(operations) >= 20
    problems: list[str] = []
    read = {
        name: _read_every_page(operation, client, name, problems)
        for name, operation in sorted(operations.items())
    }
    assert not problems, "\n".join(problems)
    # The demo has something in the lists a caller may read: the walk did read items.
    assert read["organisations_list"] > 0 and read["opportunities_list"] > 0
    if caller == "read token":
        assert read["assemblies_list"] > 0 and read["fund_ledger_list"] > 0
