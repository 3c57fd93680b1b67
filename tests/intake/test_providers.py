"""Asking a catalogue entry's providers for help: the request records the software and the
co-ops the visitor chose, their admins are emailed once when it is sent, the triagers see both,
and the confirmation says who was told."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audit.models import AuditEvent
from catalogue import services as catalogue_services
from catalogue.models import FunctionCategory, Software
from intake.emails import PROVIDER_EMAILS, provider_notices_send
from intake.forms import form_started_token
from intake.models import HelpRequest, ProviderNotice
from intake.tasks import send_help_request_provider_notices
from tests.conftest import queued
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/request-help/"


@pytest.fixture
def civicrm(network_admin, coop, other_coop) -> Software:
    """A published entry that two co-ops provide; only Camplight is asked in most tests."""
    category = FunctionCategory.objects.create(name="Membership", slug="membership")
    software = catalogue_services.software_create(
        actor=network_admin,
        data={
            "name": "CiviCRM",
            "summary": "Members and dues.",
            "licence": "AGPL-3.0-only",
            "features": ["Member register"],
            "status": "published",
        },
        m2m={"categories": [category]},
    )
    for organisation in (coop, other_coop):
        catalogue_services.provider_save(
            actor=network_admin,
            software=software,
            organisation=organisation,
            data={"services": ["host", "train"]},
        )
    return software


@pytest.fixture
def camplight_admin(coop):
    return PersonFactory(
        organisation=coop,
        display_name="Ada Admin",
        is_coop_admin=True,
        user__email="ada@camplight.coop",
    )


def _fields(**overrides) -> dict:
    data = {
        "organisation_name": "Habitat Croix-Rousse",
        "contact_name": "Claire Martin",
        "contact_email": "claire@croix-rousse.example",
        "country": "FR",
        "need": "choose",
        "description": "We are a housing co-op of 300 members.",
        "budget_range": "5k-20k",
        "timeline": "soon",
        "started": form_started_token(),
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_opened_from_an_entry_names_it_and_ticks_the_provider_asked_for(
    client, civicrm, coop, other_coop
):
    html = client.get(URL, {"software": "civicrm", "provider": "camplight"}).content.decode()
    assert "You are asking for help with" in html
    assert 'href="/catalogue/civicrm/"' in html
    assert 'name="software" value="civicrm"' in html
    assert re.search(rf'name="providers" value="{coop.pk}"[^>]*checked', html)
    assert "Facttic Sur" in html  # the other provider, not ticked
    assert not re.search(rf'name="providers" value="{other_coop.pk}"[^>]*checked', html)


def test_the_chosen_provider_is_emailed_once_and_the_confirmation_names_it(
    client, civicrm, coop, camplight_admin
):
    PersonFactory(organisation=coop, user__email="not-an-admin@camplight.coop")
    response = client.post(URL, _fields(software="civicrm", providers=[coop.pk]))

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    # Queued with the request, to run once it is committed; the worker runs this:
    assert queued(send_help_request_provider_notices) == [[help_request.pk]]
    assert provider_notices_send(help_request_id=help_request.pk) == 1
    assert help_request.software == civicrm
    assert list(help_request.providers.all()) == [coop]
    to_provider = [m for m in mail.outbox if m.to == ["ada@camplight.coop"]]
    assert len(to_provider) == 1
    [email] = to_provider
    assert "Habitat Croix-Rousse asks your co-op for help with CiviCRM" in email.subject
    assert "claire@croix-rousse.example" in email.body
    assert "/catalogue/civicrm/" in email.body
    assert "List-Unsubscribe" in email.extra_headers
    assert not [m for m in mail.outbox if "not-an-admin@camplight.coop" in m.to]
    notice = ProviderNotice.objects.get()
    assert notice.sent_at is not None
    assert list(notice.told.all()) == [camplight_admin]
    event = AuditEvent.objects.get(action="help_request.submit")
    assert event.after["software"] == "civicrm"
    assert event.after["providers"] == ["camplight"]

    # A retried or duplicated task tells nobody twice.
    assert provider_notices_send(help_request_id=help_request.pk) == 0
    assert len([m for m in mail.outbox if m.to == ["ada@camplight.coop"]]) == 1

    thanks = client.get(response["Location"]).content.decode()
    assert "Who was told" in thanks
    assert "Camplight" in thanks
    assert "the admins of this provider of CiviCRM" in thanks


def test_an_admin_who_turned_these_emails_off_is_not_emailed(
    client, civicrm, coop, camplight_admin
):
    camplight_admin.email_choices = {PROVIDER_EMAILS: "never"}
    camplight_admin.save(update_fields=["email_choices"])
    client.post(URL, _fields(software="civicrm", providers=[coop.pk]))
    assert provider_notices_send(help_request_id=HelpRequest.objects.get().pk) == 0
    assert not [m for m in mail.outbox if m.to == ["ada@camplight.coop"]]


def test_no_provider_chosen_leaves_it_to_the_coordinators(client, civicrm, camplight_admin):
    response = client.post(URL, _fields(software="civicrm"))
    help_request = HelpRequest.objects.get()
    assert help_request.software == civicrm
    assert not help_request.providers.exists()
    assert queued(send_help_request_provider_notices) == []
    thanks = client.get(response["Location"]).content.decode()
    assert "You chose no provider of CiviCRM" in thanks


def test_a_coop_that_does_not_provide_the_entry_cannot_be_told(client, civicrm):
    stranger = OrganisationFactory(name="Elsewhere")
    response = client.post(URL, _fields(software="civicrm", providers=[stranger.pk]))
    assert response.status_code == 200  # the form again, with the error
    assert not HelpRequest.objects.exists()
    assert not ProviderNotice.objects.exists()


def test_a_draft_entry_is_not_recorded(client, civicrm, coop):
    Software.objects.filter(pk=civicrm.pk).update(status=Software.Status.DRAFT)
    client.post(URL, _fields(software="civicrm", providers=[coop.pk]))
    help_request = HelpRequest.objects.get()
    assert help_request.software is None
    assert not help_request.providers.exists()


def test_a_forged_receipt_names_nobody(client, civicrm, coop, camplight_admin):
    client.post(URL, _fields(software="civicrm", providers=[coop.pk]))
    thanks = client.get("/request-help/thanks/", {"r": "1"}).content.decode()
    assert "Thank you, your request is sent" in thanks
    assert "Who was told" not in thanks


def test_the_api_takes_the_software_and_providers_and_shows_them_to_triagers(
    civicrm, coop, camplight_admin, triager
):
    body = {key: value for key, value in _fields().items() if key not in ("started", "website")} | {
        "software": "civicrm",
        "providers": ["camplight"],
    }
    response = APIClient().post("/api/v1/help-requests/", body, format="json")
    assert response.status_code == 201, response.content
    receipt = response.json()
    assert receipt["software"] == "civicrm"
    assert receipt["providers"] == ["camplight"]
    assert [p["coop"] for p in receipt["providers_told"]] == ["camplight"]
    provider_notices_send(help_request_id=receipt["id"])
    assert len([m for m in mail.outbox if m.to == ["ada@camplight.coop"]]) == 1

    api = APIClient()
    api.force_login(triager.user)
    row = api.get(f"/api/v1/help-requests/{receipt['id']}/").json()
    assert row["software"] == "civicrm"
    assert row["providers"] == ["camplight"]
    assert row["providers_told"][0]["name"] == "Camplight"
    assert row["providers_told"][0]["told_at"] is not None


def test_the_api_refuses_a_provider_of_another_entry_as_problem_json(civicrm):
    stranger = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    body = {key: value for key, value in _fields().items() if key not in ("started", "website")} | {
        "software": "civicrm",
        "providers": [stranger.slug],
    }
    response = APIClient().post("/api/v1/help-requests/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not HelpRequest.objects.exists()


def test_triagers_see_the_software_and_who_was_told_on_the_request_page(
    client, civicrm, coop, camplight_admin, triager
):
    client.post(URL, _fields(software="civicrm", providers=[coop.pk]))
    help_request = HelpRequest.objects.get()
    provider_notices_send(help_request_id=help_request.pk)
    client.force_login(triager.user)
    html = client.get(help_request.get_absolute_url()).content.decode()
    assert 'href="/catalogue/civicrm/"' in html
    assert "Providers asked" in html
    assert "told Ada Admin" in html


def test_the_request_list_costs_the_same_queries_with_more_providers(
    civicrm, coop, other_coop, camplight_admin, triager
):
    api = APIClient()
    api.force_login(triager.user)
    body = {key: value for key, value in _fields().items() if key not in ("started", "website")} | {
        "software": "civicrm",
        "providers": ["camplight"],
    }
    first = APIClient().post("/api/v1/help-requests/", body, format="json").json()
    provider_notices_send(help_request_id=first["id"])
    api.get("/api/v1/help-requests/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/help-requests/")
    PersonFactory(organisation=other_coop, is_coop_admin=True)
    for n in range(3):
        sent = APIClient().post(
            "/api/v1/help-requests/",
            body | {"providers": ["camplight", "facttic-sur"]},
            format="json",
            REMOTE_ADDR=f"10.0.0.{n + 2}",
        )
        provider_notices_send(help_request_id=sent.json()["id"])
    with CaptureQueriesContext(connection) as many:
        rows = api.get("/api/v1/help-requests/").json()["results"]
    assert len(rows) == 4
    assert len(many) == len(few)
