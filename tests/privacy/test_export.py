"""Download my data: a task prepares a private ZIP of JSON and CSV, the page shows its progress,
an email says when it is ready, only its owner downloads it, and it expires."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core import mail
from django.utils import timezone

from patio import emails
from privacy import exports, services
from privacy.emails import data_export_ready_send
from privacy.models import DataExport
from tests.worker_fixtures import wait_until

URL = "/me/privacy/"


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _ready_export(person) -> DataExport:
    export = services.data_export_request(actor=person.user)
    assert exports.data_export_build(export_id=export.pk) is True
    export.refresh_from_db()
    return export


@pytest.mark.django_db
def test_the_zip_holds_everything_about_me_as_json_and_csv(login, footprint):
    mila = footprint.person
    emails.event_message(
        kind="poll_reminders",
        person_id=mila.pk,
        to=mila.email_address,
        subject="Vote on the budget",
        body="Please vote.",
        language="en",
        message_id="<polls.pollreminder.9@patio.example>",
    ).send()
    export = _ready_export(mila)
    assert (export.status, export.progress) == (DataExport.Status.READY, 100)
    assert export.expires_at - export.ready_at == datetime.timedelta(days=7)

    response = login(mila.user).get(f"{URL}download/{export.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = _zip(response)
    names = set(archive.namelist())
    for section in (
        "skills",
        "languages",
        "circle_memberships",
        "team_memberships",
        "rsvps",
        "consent_responses",
        "claims",
        "contributions",
        "notifications",
    ):
        assert {f"{section}.json", f"{section}.csv"} <= names
    assert "audit_events.json" in names

    profile = json.loads(archive.read("profile.json"))
    assert profile["display_name"] == "Mila Member"
    assert profile["phone"] == "+359 888 123"
    assert profile["account"]["email"] == "mila@camplight.coop"
    assert json.loads(archive.read("skills.json"))[0]["skill__name"] == "Figma"
    assert json.loads(archive.read("rsvps.json"))[0]["answer"] == "going"
    assert json.loads(archive.read("notifications.json"))[0]["title"] == "Vote on the budget"
    assert json.loads(archive.read("consent_responses.json"))[0]["reason"] == "Too fast."
    assert json.loads(archive.read("claims.json"))[0]["id"] == footprint.claim.pk
    assert json.loads(archive.read("team_memberships.json"))[0]["status"] == "accepted"
    events = json.loads(archive.read("audit_events.json"))
    assert {"person.coop_admin", "privacy.export_request"} <= {e["action"] for e in events}
    assert all("actor_id" not in event for event in events)  # others who acted are not named

    # CSV through patio.exports: every field quoted, no formula a spreadsheet would run.
    rows = list(csv.reader(io.StringIO(archive.read("contributions.csv").decode())))
    note = rows[0].index("note")
    assert rows[1][note] == '\'=HYPERLINK("http://evil.example")'
    assert archive.read("contributions.csv").decode().startswith('"id",')


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["colleague", "coop_admin", "network_admin", None])
def test_only_the_owner_can_download_their_data(client, request, footprint, reader):
    export = _ready_export(footprint.person)
    if reader is not None:
        cast = request.getfixturevalue(reader)
        client.force_login(getattr(cast, "user", cast))
    response = client.get(f"{URL}download/{export.pk}/file/")
    assert response.status_code == (302 if reader is None else 404)
    assert client.get(f"{URL}download/{export.pk}/").status_code in {302, 403, 404}


@pytest.mark.django_db
def test_the_file_is_not_under_the_public_media_folder(settings, footprint):
    export = _ready_export(footprint.person)
    path = exports.private_storage().path(export.file_name)
    assert str(path).startswith(str(settings.PRIVATE_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.django_db
def test_the_page_shows_progress_polled_by_htmx_with_a_plain_refresh_link(login, member):
    client = login(member.user)
    assert client.post(f"{URL}download/").status_code == 302
    export = DataExport.objects.get(person=member)

    page = client.get(URL).content.decode()
    assert f'hx-get="/me/privacy/download/{export.pk}/"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="/me/privacy/download/{export.pk}/"' in page  # refresh without JavaScript

    DataExport.objects.filter(pk=export.pk).update(status="running", progress=42)
    partial = client.get(f"{URL}download/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert 'value="42"' in partial
    full = client.get(f"{URL}download/{export.pk}/").content.decode()
    assert "<html" in full and "42%" in full

    exports.data_export_fail(export_id=export.pk)
    DataExport.objects.filter(pk=export.pk).update(status="pending")
    exports.data_export_build(export_id=export.pk)
    partial = client.get(f"{URL}download/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial  # ready: the polling stops
    assert f'href="/me/privacy/download/{export.pk}/file/"' in partial


@pytest.mark.django_db
def test_a_second_request_while_one_is_prepared_is_refused(login, member):
    client = login(member.user)
    client.post(f"{URL}download/")
    response = client.post(f"{URL}download/", follow=True)
    assert "already being prepared" in response.content.decode()
    assert DataExport.objects.filter(person=member).count() == 1


@pytest.mark.django_db
def test_the_ready_email_goes_once(member):
    export = _ready_export(member)
    assert data_export_ready_send(export_id=export.pk) is True
    assert data_export_ready_send(export_id=export.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mila@camplight.coop"]
    assert "/me/privacy/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_expired_download_is_deleted_and_no_longer_served(login, member):
    export = _ready_export(member)
    path = exports.private_storage().path(export.file_name)
    assert exports.data_exports_expire(now=timezone.now()) == 0
    assert exports.data_exports_expire(now=export.expires_at) == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert not __import__("os").path.exists(path)
    assert login(member.user).get(f"{URL}download/{export.pk}/file/").status_code == 404


@pytest.mark.django_db
def test_my_account_and_profile_pages_link_to_my_data(login, member):
    client = login(member.user)
    assert 'href="/me/privacy/"' in client.get("/me/").content.decode()
    assert 'href="/me/privacy/"' in client.get("/accounts/email/").content.decode()


@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_the_worker_prepares_the_download_and_emails_me(celery_worker, client, member):
    client.force_login(member.user)
    assert client.post(f"{URL}download/").status_code == 302
    export = DataExport.objects.get(person=member)
    wait_until(lambda: len(mail.outbox) == 1)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    assert "ready" in mail.outbox[0].subject
    assert client.get(f"{URL}download/{export.pk}/file/").status_code == 200


@pytest.mark.pure
def test_the_beat_expires_downloads_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-exports-expire"]
    assert entry["task"] == "privacy.tasks.expire_data_exports"
