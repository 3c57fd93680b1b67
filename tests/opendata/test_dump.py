"""The nightly open-data dump: what it holds (what a visitor may read, nothing more), that its
files say what they are (README, JSON-LD, DCAT), and that each night is built once and only
the last twelve are kept."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from pyld import jsonld

from members.selectors import organisations_visible_to
from opendata import services
from opendata.dcat import LICENCE
from opendata.models import Dump
from opendata.selectors import published
from opendata.tables import TABLES
from opendata.tasks import build_nightly_dump
from patio.celery import TASK_TIME_LIMITS
from patio.dates import network_today
from patio.linked_data import absolute
from privacy.services import person_erase
from tests.factories import OrganisationFactory, PersonFactory
from tests.linked_data import SCHEMA, document_loader, expand, unknown_terms
from tests.opendata.conftest import documented_columns, header, rows, stored, unzipped

pytestmark = pytest.mark.django_db

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
NIGHT = datetime.date(2026, 3, 1)


def _every_file(dump: Dump) -> bytes:
    """All a dump publishes, its ZIP's members unpacked, as one text to search."""
    members = unzipped(stored(dump, "zip"))
    return b"\n".join([*members.values(), stored(dump, "graph"), stored(dump, "dcat")])


def test_the_nightly_task_publishes_a_dump_that_unzips_to_the_csv_files_its_readme_documents(
    network,
):
    version = build_nightly_dump()

    dump = published().get()
    assert dump.version == version == 1
    assert dump.day == network_today()
    files = unzipped(stored(dump, "zip"))
    documented = documented_columns(files["README.md"].decode())
    assert list(documented) == [table.file_name for table in TABLES]
    assert set(files) == {"README.md", "dcat.jsonld", *documented}
    for name, columns in documented.items():
        assert header(files[name]) == columns, name
        assert len(rows(files[name])) == dump.counts[name.removesuffix(".csv")], name
        assert (
            f"| {name} | {dump.counts[name.removesuffix('.csv')]} |" in files["README.md"].decode()
        )


def test_every_column_says_what_it_holds_and_no_file_repeats_a_column():
    for table in TABLES:
        assert len(set(table.header)) == len(table.header), table.name
        assert all(column.meaning for column in table.columns), table.name


def test_a_dump_holds_what_a_visitor_may_read_and_nothing_more(network):
    dump = services.dump_build(day=NIGHT)
    files = unzipped(stored(dump, "zip"))

    coops = {row["slug"]: row for row in rows(files["coops.csv"])}
    visible = set(organisations_visible_to(None).values_list("slug", flat=True))
    assert set(coops) == visible | {"gone"}
    assert "applicant" not in coops and "never-joined" not in coops
    assert coops["camplight"]["status"] == "member"
    # A co-op that left is a tombstone row: what its page says, nothing more.
    gone = coops["gone"]
    assert (gone["status"], gone["dissolved"], gone["left_on"], gone["joined_on"]) == (
        "left",
        "true",
        "2025-03-01",
        "2019-05-01",
    )
    assert gone["left_reason"] == "Its members retired."
    assert gone["website"] == gone["description"] == gone["updated_at"] == ""

    people = {row["display_name"]: row for row in rows(files["people.csv"])}
    assert set(people) == {"Paula Public", "Omar Open"}
    paula, omar = people["Paula Public"], people["Omar Open"]
    assert paula["coop"] == "camplight"
    # Contact fields only where their owner made them public.
    assert (paula["contact_email"], paula["phone"], paula["website"]) == (
        "",
        "",
        "https://paula.example",
    )
    assert omar["contact_email"] == "omar.open@example.coop"
    skills = rows(files["person_skills.csv"])
    assert skills == [
        {"person_id": str(network.public_person.pk), "skill": "python", "level": "3", "years": "7"}
    ]
    assert {row["person_id"] for row in rows(files["person_languages.csv"])} == {
        str(network.public_person.pk)
    }
    python = next(row for row in rows(files["skills.csv"]) if row["slug"] == "python")
    assert python["people"] == "1"  # Paula; the erased person's skill went with her data
    assert python["esco_uri"].startswith("http://data.europa.eu/esco/skill/")

    (opportunity,) = rows(files["opportunities.csv"])
    assert opportunity["title"] == "Public portal"
    assert (opportunity["source_coop"], opportunity["client_coop"]) == ("camplight", "")
    assert (opportunity["budget"], opportunity["currency"]) == ("12000.00", "EUR")
    (role,) = rows(files["opportunity_roles.csv"])
    assert (role["title"], role["headcount"], role["skills"]) == (
        "Backend developer",
        "2",
        "python:3",
    )

    (decision,) = rows(files["decisions.csv"])
    assert decision["text"] == network.public_decision_text
    assert rows(files["fund_balances.csv"]) == [{"currency": "EUR", "balance": "1000.00"}]

    everything = _every_file(dump)
    for hidden in (
        "paula.private@example.coop",  # a members-only field of a public profile
        "+359 2 555 0100",  # a hidden one
        "Mara Membersonly",  # a members-only profile
        "Ada Applicant",  # a public profile in a co-op that is not a member
        "Applicant Co-op",
        "Never Joined",  # left before it ever joined: never public
        "erin@example.coop",
        f"Former member #{network.erased.pk}",  # an erased person, even as a tombstone
        "Members-only portal",
        "Draft portal",
        network.private_decision_text,
        "A private worry.",  # a public decision's objections stay with members
    ):
        assert hidden.encode() not in everything, hidden


def test_an_erased_person_is_in_no_later_dump(coop):
    pia = PersonFactory(organisation=coop, display_name="Pia Public", profile_visibility="public")
    before = services.dump_build(day=NIGHT)
    person_erase(actor=pia.user, person=pia)

    after = services.dump_build(day=NIGHT + datetime.timedelta(days=1))

    assert b"Pia Public" in unzipped(stored(before, "zip"))["people.csv"]
    assert b"Pia Public" not in _every_file(after)
    assert rows(unzipped(stored(after, "zip"))["people.csv"]) == []


def test_a_text_a_spreadsheet_would_run_is_written_with_an_apostrophe_in_front(coop):
    PersonFactory(organisation=coop, display_name="=HYPERLINK(1)", profile_visibility="public")

    dump = services.dump_build(day=NIGHT)

    (person,) = rows(unzipped(stored(dump, "zip"))["people.csv"])
    assert person["display_name"] == "'=HYPERLINK(1)"
    graph = json.loads(stored(dump, "graph"))
    assert any(node.get("name") == "=HYPERLINK(1)" for node in graph["@graph"])


def test_the_graph_is_json_ld_every_node_in_the_schema_org_vocabulary(network):
    dump = services.dump_build(day=NIGHT)
    document = json.loads(stored(dump, "graph"))

    expanded = expand(document)

    assert unknown_terms(expanded) == set()
    types = {node["@id"]: node["@type"] for node in expanded if "@id" in node}
    assert SCHEMA + "Person" in types[absolute(network.public_person.get_absolute_url())]
    assert SCHEMA + "Cooperative" in types[absolute(network.public_coop.get_absolute_url())]
    assert SCHEMA + "Cooperative" in types[absolute(network.gone.get_absolute_url())]
    assert SCHEMA + "JobPosting" in types[absolute(network.public_opportunity.get_absolute_url())]
    assert any(SCHEMA + "CreativeWork" in t for t in types.values())  # the decision
    assert any(SCHEMA + "MonetaryAmount" in t for t in types.values())  # the fund's balance
    for hidden in (network.erased, network.members_only_person, network.private_opportunity):
        assert absolute(hidden.get_absolute_url()) not in types
    assert absolute(network.private_coop.get_absolute_url()) not in types


def _nodes(document: dict) -> dict[str, dict]:
    expanded = jsonld.expand(document, {"documentLoader": document_loader})
    flattened = jsonld.flatten(expanded, None, {"documentLoader": document_loader})
    return {node["@id"]: node for node in flattened}


def _value(node: dict, prop: str) -> str:
    (item,) = node[prop]
    return item.get("@value", item.get("@id"))


def _distributions(nodes: dict[str, dict]) -> dict[str, tuple[int, str]]:
    """Each distribution's identifier: (dcat:byteSize, its SHA-256), read as RDF."""
    found = {}
    for node in nodes.values():
        if DCAT + "Distribution" not in node.get("@type", []):
            continue
        checksum = nodes[node[SPDX + "checksum"][0]["@id"]]
        assert _value(checksum, SPDX + "algorithm") == SPDX + "checksumAlgorithm_sha256"
        found[node["@id"]] = (
            int(_value(node, DCAT + "byteSize")),
            _value(checksum, SPDX + "checksumValue"),
        )
    return found


def test_the_dcat_description_gives_each_files_size_licence_dates_and_checksum(network):
    dump = services.dump_build(day=NIGHT)

    nodes = _nodes(json.loads(stored(dump, "dcat")))

    catalog = nodes[absolute("/open-data/") + "#catalog"]
    assert DCAT + "Catalog" in catalog["@type"]
    dataset = nodes[absolute("/open-data/") + f"#v{dump.version}"]
    assert DCAT + "Dataset" in dataset["@type"]
    assert _value(dataset, DCT + "license") == LICENCE
    assert _value(dataset, DCAT + "version") == str(dump.version)
    issued = datetime.datetime.fromisoformat(_value(dataset, DCT + "issued"))
    assert (
        issued
        == dump.created_at
        == datetime.datetime.fromisoformat(_value(dataset, DCT + "modified"))
    )
    distributions = _distributions(nodes)
    assert set(distributions) == {
        absolute(services.download_url(dump, "zip")),
        absolute(services.download_url(dump, "graph")),
    }
    for kind in ("zip", "graph"):
        data = stored(dump, kind)
        expected = (len(data), hashlib.sha256(data).hexdigest())
        assert distributions[absolute(services.download_url(dump, kind))] == expected, kind
        assert (getattr(dump, f"{kind}_size"), getattr(dump, f"{kind}_sha256")) == expected
    own = stored(dump, "dcat")
    assert (dump.dcat_size, dump.dcat_sha256) == (len(own), hashlib.sha256(own).hexdigest())

    # Inside the ZIP, the same catalog describes each CSV file.
    members = unzipped(stored(dump, "zip"))
    inside = _distributions(_nodes(json.loads(members["dcat.jsonld"])))
    zip_url = absolute(services.download_url(dump, "zip"))
    for table in TABLES:
        data = members[table.file_name]
        assert inside[f"{zip_url}#{table.file_name}"] == (
            len(data),
            hashlib.sha256(data).hexdigest(),
        )


def test_only_the_last_twelve_dumps_are_kept_with_their_files(db):
    OrganisationFactory(slug="camplight")
    for night in range(13):
        services.dump_build(day=NIGHT + datetime.timedelta(days=night))

    kept = list(published().values_list("version", flat=True))
    assert kept == list(range(13, 1, -1))
    assert Dump.objects.count() == settings.OPEN_DATA_KEEP == 12
    folders, _files = services.storage().listdir("")
    assert sorted(folders, key=int) == [str(v) for v in range(2, 14)]


def test_a_night_is_built_once(db):
    first = services.dump_build(day=NIGHT)

    assert first is not None
    assert services.dump_build(day=NIGHT) is None
    assert services.dump_claim(day=NIGHT) is None
    assert Dump.objects.get().version == first.version


def test_two_workers_claiming_the_same_night_at_once_build_it_once(transactional_db):
    start = threading.Barrier(2)
    claims: list[Dump | None] = []

    def worker() -> None:
        try:
            start.wait()
            claims.append(services.dump_claim(day=NIGHT))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len([claim for claim in claims if claim is not None]) == 1
    assert Dump.objects.get().status == Dump.Status.RUNNING


def test_a_night_a_dead_worker_was_building_is_taken_again_after_an_hour(db):
    then = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)
    assert services.dump_claim(day=NIGHT, now=then) is not None

    assert services.dump_claim(day=NIGHT, now=then + datetime.timedelta(minutes=30)) is None
    assert services.dump_claim(day=NIGHT, now=then + services.ABANDONED_AFTER * 1.1) is not None
    assert services.ABANDONED_AFTER.total_seconds() > TASK_TIME_LIMITS["dumps"][1]


def test_a_worker_taken_for_dead_that_wakes_up_leaves_the_new_builds_files_whole(db):
    """Worker A is slow; an hour on, B takes the night again and publishes it. When A finishes
    writing, its files must not replace B's (whose checksums the page shows), and A's go."""
    OrganisationFactory(slug="camplight")
    winner: list[Dump | None] = []

    class Slow:
        def stage(self, name, count):
            if not winner:  # A, an hour and more into its build: B takes over and publishes
                Dump.objects.update(created_at=F("created_at") - services.ABANDONED_AFTER * 2)
                winner.append(services.dump_build(day=NIGHT))

        def advance(self):
            pass

    assert services.dump_build(day=NIGHT, progress=Slow()) is None

    dump = published().get()
    assert winner == [dump]
    for kind, _suffix, _media in services.FILES:
        assert hashlib.sha256(stored(dump, kind)).hexdigest() == getattr(dump, f"{kind}_sha256")
    every_file = []
    folders = [str(dump.version)]
    while folders:
        folder = folders.pop()
        inner, names = services.storage().listdir(folder)
        folders += [f"{folder}/{name}" for name in inner]
        every_file += [f"{folder}/{name}" for name in names]
    assert sorted(every_file) == sorted([dump.zip_name, dump.graph_name, dump.dcat_name])


def test_a_failed_build_publishes_nothing_and_the_next_run_builds_that_night(
    db, client, monkeypatch
):
    def disk_full():
        raise OSError("No space left on device")

    monkeypatch.setattr("opendata.selectors.skills", disk_full)
    with pytest.raises(OSError):
        services.dump_build(day=NIGHT)

    failed = Dump.objects.get()
    assert failed.status == Dump.Status.FAILED
    assert not published().exists()
    assert b'id="v1"' not in client.get("/open-data/").content
    monkeypatch.undo()

    dump = services.dump_build(day=NIGHT)

    assert dump is not None and dump.status == Dump.Status.READY
    assert dump.version == failed.version


def test_beat_builds_the_dump_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["open-data-dump"]

    assert entry["task"] == "opendata.tasks.build_nightly_dump" == build_nightly_dump.name
    assert entry["schedule"].hour == {1}
    assert (build_nightly_dump.soft_time_limit, build_nightly_dump.time_limit) == (
        TASK_TIME_LIMITS["dumps"]
    )


def test_the_command_builds_todays_dump_now_and_then_says_it_is_there(db):
    OrganisationFactory(slug="camplight")
    out = io.StringIO()

    call_command("opendata_dump", verbosity=0, stdout=out)
    call_command("opendata_dump", verbosity=0, stdout=out)

    dump = published().get()
    assert dump.day == network_today()
    assert f"Published dump {dump.version}" in out.getvalue()
    assert "published or being built already" in out.getvalue()
