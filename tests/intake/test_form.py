"""The public request-help form: what a requester sees, and how robots and floods are held off."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.test import override_settings

from audit.models import AuditEvent
from intake.emails import help_request_ack_send
from intake.forms import SIGNING_SALT, form_started_token
from intake.models import DESCRIPTION_MAX, HelpRequest
from tests.conftest import queued_work

pytestmark = pytest.mark.django_db

URL = "/request-help/"


def _fields(**overrides) -> dict:
    data = {
        "organisation_name": "Olla Popular Cerro",
        "contact_name": "Rosa Requester",
        "contact_email": "rosa@olla.example",
        "country": "UY",
        "need": "build",
        "description": "We need a booking system for our community kitchen.",
        "budget_range": "5k-20k",
        "timeline": "soon",
        "started": form_started_token(),
        "website": "",
    }
    data.update(overrides)
    return data


def test_anyone_can_open_the_form_with_labelled_fields_and_a_hidden_honeypot(client):
    page = client.get(URL).content.decode()
    assert '<label for="id_organisation_name"' in page
    assert '<label for="id_contact_email"' in page
    assert 'name="started"' in page
    # The honeypot is hidden from people and from screen readers, and says what it is.
    assert '<div class="visually-hidden" aria-hidden="true">' in page
    assert "Leave this field empty" in page


def test_a_valid_request_is_stored_and_its_acknowledgement_queued_after_commit(
    client, spanish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, _fields(preferred_languages=[spanish.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/request-help/thanks/?r=")
    help_request = HelpRequest.objects.get()
    assert help_request.organisation_name == "Olla Popular Cerro"
    assert help_request.status == HelpRequest.Status.NEW
    assert list(help_request.preferred_languages.all()) == [spanish]
    assert help_request.language == "en"
    assert len(queued_work(callbacks)) == 1
    assert AuditEvent.objects.filter(action="help_request.submit").count() == 1
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you, your request is sent" in thanks


def test_the_acknowledgement_goes_out_once_in_the_language_the_requester_used(client):
    client.post(URL, _fields(), HTTP_ACCEPT_LANGUAGE="es")
    help_request = HelpRequest.objects.get()
    assert help_request.language == "es"

    assert help_request_ack_send(help_request_id=help_request.pk) is True
    assert help_request_ack_send(help_request_id=help_request.pk) is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@olla.example"]
    help_request.refresh_from_db()
    assert help_request.acknowledged_at is not None


def test_a_filled_honeypot_looks_accepted_but_stores_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, _fields(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == "/request-help/thanks/"
    assert not HelpRequest.objects.exists()
    assert queued_work(callbacks) == []
    assert mail.outbox == []


def test_a_form_sent_faster_than_a_person_can_type_is_refused_with_a_clear_message(client):
    with override_settings(HELP_REQUEST_MIN_SECONDS=60):
        response = client.post(URL, _fields())
    assert response.status_code == 200
    page = response.content.decode()
    assert "That was very quick. Please check your request, then send it again." in page
    assert "Olla Popular Cerro" in page  # what was typed is kept
    assert not HelpRequest.objects.exists()


def test_the_same_form_sent_again_after_the_minimum_time_is_accepted(client):
    with override_settings(HELP_REQUEST_MIN_SECONDS=2):
        long_ago = signing.dumps(time.time() - 30, salt=SIGNING_SALT)
        response = client.post(URL, _fields(started=long_ago))
    assert response.status_code == 302
    assert HelpRequest.objects.count() == 1


# Fixed ids: a signed value holds the time it was signed, and every xdist worker must collect the
# same test names.
@pytest.mark.parametrize(
    "started",
    ["", "forged", signing.dumps(1.0, salt="another-salt")],
    ids=["missing", "forged", "other-salt"],
)
def test_a_missing_or_forged_start_time_is_refused(client, started):
    response = client.post(URL, _fields(started=started))
    assert response.status_code == 200
    assert "This form has expired. Reload the page" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_an_oversized_description_is_refused_next_to_the_field_and_nothing_is_stored(client):
    response = client.post(URL, _fields(description="x" * (DESCRIPTION_MAX + 1)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_description_error"' in page
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "not an email"),
        ("need", "world-domination"),
        ("country", "XX"),
        ("organisation_name", ""),
        ("budget_range", "a lot"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_stored(client, field, value):
    response = client.post(URL, _fields(**{field: value}))
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not HelpRequest.objects.exists()


@override_settings(HELP_REQUEST_RATE="3/hour")
def test_more_requests_than_the_rate_from_one_address_get_a_429_page(client):
    for _ in range(3):
        assert client.post(URL, _fields(), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(URL, _fields(), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests from your connection" in response.content.decode()
    assert HelpRequest.objects.count() == 3
    # Another address has its own budget, and a forged X-Forwarded-For does not buy a new one.
    assert client.post(URL, _fields(), REMOTE_ADDR="203.0.113.8").status_code == 302
    forged = client.post(
        URL, _fields(), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert forged.status_code == 429
