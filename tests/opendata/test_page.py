"""/open-data/: the dumps, their licence and checksums for everyone, the downloads, and the
page's schema.org `Dataset` with a `DataDownload` per file."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import pytest
from django.test import Client

from opendata import services
from opendata.dcat import LICENCE
from opendata.models import Dump
from patio.linked_data import absolute
from tests import matrix
from tests.factories import OrganisationFactory
from tests.linked_data import expand_checked, negotiated, page_document, values
from tests.opendata.conftest import stored
from tests.patio.test_findable import sitemap_paths

pytestmark = pytest.mark.django_db

NIGHT = datetime.date(2026, 3, 1)


def _dumps(count: int) -> list[Dump]:
    OrganisationFactory(slug="camplight")
    built = [services.dump_build(day=NIGHT + datetime.timedelta(days=n)) for n in range(count)]
    return [dump for dump in built if dump is not None]


# Who may read what: everyone reads the page and every file of a published dump; what is not
# published (another version, another name, a night still being built) is a 404 for everyone.
NEWEST = "sent to the newest dump's file"
ROLES = ("visitor", "member", "network_admin", *matrix.TOKEN_ROLES)

#                                   visitor member n-admin tok-r tok-w
MATRIX = {
    "page: open data": (200, 200, 200, 200, 200),
    "page: download ZIP": (200, 200, 200, 200, 200),
    "page: download graph": (200, 200, 200, 200, 200),
    "page: download DCAT": (200, 200, 200, 200, 200),
    "page: latest ZIP": (NEWEST, NEWEST, NEWEST, NEWEST, NEWEST),
    "page: unknown version": (404, 404, 404, 404, 404),
    "page: another version's name": (404, 404, 404, 404, 404),
    "page: night being built": (404, 404, 404, 404, 404),
}
READS = set(MATRIX)


@dataclass(kw_only=True)
class World(matrix.Cast):
    dump: Dump
    building: Dump


@pytest.fixture
def world(member, network_admin) -> World:
    (dump,) = _dumps(1)
    building = services.dump_claim(day=NIGHT + datetime.timedelta(days=1))
    assert building is not None
    return World(
        dump=dump,
        building=building,
        users={"member": member.user, "network_admin": network_admin},
        secrets=matrix.api_tokens(user=member.user),
    )


def _run(action: str, world: World, page: Client) -> matrix.Outcome:
    dump = world.dump
    match action:
        case "page: open data":
            path = "/open-data/"
        case "page: download ZIP":
            path = services.download_url(dump, "zip")
        case "page: download graph":
            path = services.download_url(dump, "graph")
        case "page: download DCAT":
            path = services.download_url(dump, "dcat")
        case "page: latest ZIP":
            response = page.get("/open-data/latest/zip/")
            sent_to = response.get("Location")
            return NEWEST if sent_to == services.download_url(dump, "zip") else response.status_code
        case "page: unknown version":
            path = f"/open-data/99/{services.file_name(dump, 'zip')}"
        case "page: another version's name":
            path = f"/open-data/{dump.version}/patio-open-data-1999-01-01.zip"
        case "page: night being built":
            path = services.download_url(world.building, "zip")
    return matrix.outcome(page.get(path))


def _snapshot():
    return list(Dump.objects.order_by("pk").values())


@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    page, _api = world.clients(role)
    with matrix.writes_as_allowed(action, expected, _snapshot, reads=READS):
        assert _run(action, world, page) == expected


def test_before_the_first_dump_the_page_says_when_one_comes(client):
    response = client.get("/open-data/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No dump has been written yet" in html
    assert LICENCE in html
    document = expand_checked(
        page_document(response), "Dataset", ("name", "description", "license")
    )
    assert values(document, "distribution") == []


def test_the_page_lists_each_dump_with_its_licence_sizes_checksums_and_downloads(client):
    first, second = _dumps(2)

    html = client.get("/open-data/").content.decode()

    assert html.index('id="v2"') < html.index('id="v1"')  # newest first
    for dump in (first, second):
        for kind in ("zip", "graph", "dcat"):
            assert services.download_url(dump, kind) in html
            assert getattr(dump, f"{kind}_sha256") in html
            assert f'<data value="{getattr(dump, f"{kind}_size")}">' in html
    assert f'href="{LICENCE}" rel="license"' in html


def test_a_download_is_the_file_the_page_describes(client):
    (dump,) = _dumps(1)

    response = client.get(services.download_url(dump, "zip"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{dump.stem}.zip"'
    assert "immutable" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert data == stored(dump, "zip")
    assert hashlib.sha256(data).hexdigest() == dump.zip_sha256
    graph = client.get(services.download_url(dump, "graph"))
    assert graph["Content-Type"] == "application/ld+json"
    latest = client.get("/open-data/latest/dcat/")
    assert latest["Location"] == services.download_url(dump, "dcat")


def test_the_page_carries_a_dataset_with_a_data_download_per_file(client):
    dump, newer = _dumps(2)

    response = client.get("/open-data/")

    document = expand_checked(
        page_document(response), "Dataset", ("name", "description", "license", "distribution")
    )
    assert values(document, "license") == [{"@id": LICENCE}]
    downloads = values(document, "distribution")
    assert len(downloads) == 6  # three files for each of the two dumps
    by_url = {values(download, "contentUrl")[0]["@id"]: download for download in downloads}
    zip_url = absolute(services.download_url(dump, "zip"))
    assert values(by_url[zip_url], "sha256") == [dump.zip_sha256]
    assert values(by_url[zip_url], "encodingFormat") == ["application/zip"]
    assert values(by_url[zip_url], "contentSize") == [f"{dump.zip_size} B"]
    assert values(document, "version") == [str(newer.version)]
    negotiated_document = negotiated(client, "/open-data/").json()
    assert negotiated_document == page_document(response)


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_costs_the_same_queries_with_one_dump_or_twelve(
    client, count, django_assert_max_num_queries
):
    _dumps(count)

    with django_assert_max_num_queries(2):
        response = client.get("/open-data/")

    assert response.content.decode().count('class="card"') == count


def test_the_page_is_in_the_sitemap_and_open_to_crawlers_and_linked_from_every_page(client):
    _dumps(1)

    assert "/open-data/" in sitemap_paths(client)
    robots = client.get("/robots.txt").content.decode()
    assert not any(
        "/open-data/".startswith(line.removeprefix("Disallow: "))
        for line in robots.splitlines()
        if line.startswith("Disallow: ")
    )
    assert 'href="/open-data/"' in client.get("/").content.decode()
