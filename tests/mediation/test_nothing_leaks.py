"""Nothing of a case leaks: not in the directory's search, a person's page, the API (there is
none for cases, and no list of it holds a word of one), the audit log's admin, the open-data
dump, nor any data download but the requester's own."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from mediation import services
from mediation.models import Case
from opendata import services as opendata
from privacy import exports
from privacy import services as privacy
from tests.api.test_sign_in_required import _list_routes
from tests.mediation.conftest import HOPE, SECRET, next_week
from tests.opendata.conftest import _open_data_storage, stored, unzipped  # noqa: F401
from tests.privacy.conftest import _private_root  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_case(case, colleague, member):
    services.case_move(actor=colleague.user, case=case, to_state=Case.State.IN_MEDIATION)
    services.case_schedule_meeting(actor=colleague.user, case=case, at=next_week())
    services.case_note_add(actor=colleague.user, case=case, body="Walrus-note of the mediator.")
    services.case_note_add(actor=member.user, case=case, body="Walrus-reply of the requester.")
    return case


def _clean(content: bytes, *, but: str = "") -> bool:
    """No word of the case (other than `but`, a search's own query, which the page repeats)."""
    return not any(word.encode() in content for word in (SECRET, HOPE, "Walrus") if word != but)


def test_the_directory_search_finds_no_case(client, busy_case, colleague):
    client.force_login(colleague.user)  # a mediator, who may read the case itself
    urls = (
        reverse("members:people"),
        reverse("members:organisations"),
        reverse("discussions:list"),
    )
    for url in urls:
        response = client.get(url, {"q": SECRET})
        assert response.status_code == 200
        assert _clean(response.content, but=SECRET), url
        assert busy_case.get_absolute_url().encode() not in response.content, url


def test_the_pages_of_the_people_in_a_case_say_nothing_of_it(
    client, busy_case, member, outsider, colleague
):
    client.force_login(colleague.user)
    for person in (member, outsider):
        response = client.get(reverse("members:person", args=[person.pk]))
        assert response.status_code == 200
        assert (
            _clean(response.content)
            and b"/mediation/" + str(busy_case.pk).encode() not in response.content
        )


def test_no_api_route_serves_cases_and_no_list_holds_a_word_of_one(busy_case, member, colleague):
    schema = APIClient().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert not [
        p
        for p in json.loads(schema.content)["paths"]
        if "mediation" in p or "case/" in p.replace("case-studies", "")
    ]
    for person in (member, colleague):
        api = APIClient()
        api.force_login(person.user)
        for name in _list_routes():
            response = api.get(reverse(f"api:{name}"))
            assert _clean(response.content), name
        assert api.get("/api/v1/mediation/").status_code == 404
        assert api.get(f"/api/v1/cases/{busy_case.pk}/").status_code == 404


def test_the_audit_admin_lists_no_mediation_event(client, busy_case, network_admin):
    network_admin.is_superuser = True
    network_admin.save(update_fields=["is_superuser"])
    client.force_login(network_admin)
    events = AuditEvent.objects.filter(action__startswith="mediation.")
    assert events.count() >= 4 and all(e.confidential for e in events)
    assert all(_clean(json.dumps([e.before, e.after, e.object_repr]).encode()) for e in events)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    assert b"mediation." not in listing.content
    one = client.get(reverse("admin:audit_auditevent_change", args=[events.first().pk]))
    assert one.status_code in (302, 404)
    searched = client.get(reverse("admin:audit_auditevent_changelist"), {"q": "Case #"})
    assert b"mediation." not in searched.content
    # Cases have no admin pages either.
    assert client.get("/admin/mediation/case/").status_code == 404


def test_the_open_data_dump_holds_no_case(busy_case):
    dump = opendata.dump_build(day=datetime.date(2026, 3, 1))
    files = unzipped(stored(dump, "zip"))
    assert files
    for name, content in files.items():
        assert _clean(content), name  # the Mediation circle is public; its cases are not


def _download(person) -> dict[str, bytes]:
    export = privacy.data_export_request(actor=person.user)
    assert exports.data_export_build(export_id=export.pk) is True
    export.refresh_from_db()
    with exports.private_storage().open(export.file_name, "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_requester_downloads_their_case_and_the_people_named_find_nothing(
    busy_case, member, outsider, coop_admin, colleague
):
    mine = _download(member)
    (row,) = json.loads(mine["mediation_cases.json"])
    assert SECRET in row["what_happened"] and HOPE in row["hoped_for"]
    assert row["state"] == "in_mediation" and len(row["notes"]) == 2
    assert {"Omar Outsider", "Ana Admin"} == set(row["people_involved"])
    for person in (outsider, coop_admin, colleague):
        theirs = _download(person)
        assert json.loads(theirs["mediation_cases.json"]) == [], person
        assert all(_clean(content) for content in theirs.values()), person
