"""Triage: a coordinator of the triage circle reads a request, answers it, declines it or turns
it into a draft opportunity, and a request handled once cannot be handled again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from intake import services
from intake.models import HelpRequest
from projects.models import Opportunity
from tests.circles.factories import CoordinatorFactory
from tests.conftest import queued_work
from tests.factories import LanguageFactory
from tests.intake.factories import TriageCircleFactory

pytestmark = pytest.mark.django_db


def _convert_by_page(client, help_request, circle):
    return client.post(f"/request-help/{help_request.pk}/convert/", {"circle": circle.pk})


def test_converting_makes_a_draft_opportunity_with_the_requests_data(
    login, triager, triage_circle, help_request, spanish
):
    client = login(triager.user)
    response = _convert_by_page(client, help_request, triage_circle)

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] in {
        f"/opportunities/{opportunity.pk}/edit/",
        opportunity.get_absolute_url(),
    }
    assert opportunity.status == Opportunity.Status.DRAFT
    assert opportunity.circle == triage_circle
    assert opportunity.posted_by == triager
    assert opportunity.client_name == "Olla Popular Cerro"
    assert "booking system for our community kitchen" in opportunity.description
    assert "Build something new" in opportunity.description
    assert opportunity.budget is None
    assert list(opportunity.working_languages.all()) == [spanish]
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CONVERTED
    assert help_request.opportunity == opportunity
    assert help_request.handled_by == triager
    assert AuditEvent.objects.filter(action="help_request.convert").count() == 1


def test_a_converted_request_cannot_be_converted_again(login, triager, triage_circle, help_request):
    client = login(triager.user)
    _convert_by_page(client, help_request, triage_circle)
    response = _convert_by_page(client, help_request, triage_circle)

    assert response.status_code == 302
    assert response["Location"] == f"/request-help/{help_request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "This request has already been handled" in page
    assert "Make a draft opportunity" not in page
    assert Opportunity.objects.count() == 1


def test_a_declined_request_cannot_be_converted(triager, triage_circle, help_request):
    services.help_request_decline(actor=triager.user, help_request=help_request, reason="No.")
    stale = HelpRequest.objects.get(pk=help_request.pk)
    stale.status = HelpRequest.Status.NEW  # as a second tab still showing it as new

    with pytest.raises(ValidationError, match="already been handled"):
        services.help_request_convert(actor=triager.user, help_request=stale, circle=triage_circle)
    assert not Opportunity.objects.exists()
    assert HelpRequest.objects.get(pk=help_request.pk).status == HelpRequest.Status.DECLINED


def test_an_answered_request_can_still_be_turned_into_an_opportunity(
    triager, triage_circle, help_request
):
    services.help_request_answer(actor=triager.user, help_request=help_request, message="Hi!")
    opportunity = services.help_request_convert(
        actor=triager.user, help_request=help_request, circle=triage_circle
    )
    assert HelpRequest.objects.get(pk=help_request.pk).opportunity == opportunity


def test_converting_twice_through_the_api_is_a_409_problem(
    api_client, triager, triage_circle, help_request
):
    api_client.force_login(triager.user)
    url = f"/api/v1/help-requests/{help_request.pk}/convert/"
    assert api_client.post(url, {"circle": triage_circle.slug}).status_code == 201
    response = api_client.post(url, {"circle": triage_circle.slug})
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert Opportunity.objects.count() == 1


def test_a_coordinator_of_two_triage_circles_chooses_which_one_posts(
    login, triager, triage_circle, help_request
):
    second = TriageCircleFactory(name="Business development", slug="business-development")
    CoordinatorFactory(circle=second, person=triager)
    client = login(triager.user)
    page = client.get(f"/request-help/{help_request.pk}/").content.decode()
    assert "Business development" in page and "Job opportunities" in page

    _convert_by_page(client, help_request, second)
    assert Opportunity.objects.get().circle == second


def test_a_circle_that_does_not_triage_cannot_post_a_converted_request(
    login, triager, other_circle, help_request
):
    CoordinatorFactory(circle=other_circle, person=triager)
    response = _convert_by_page(login(triager.user), help_request, other_circle)
    assert response.status_code == 400
    assert 'id="id_circle_error"' in response.content.decode()
    assert not Opportunity.objects.exists()
    with pytest.raises(PermissionDenied):
        services.help_request_convert(
            actor=triager.user, help_request=help_request, circle=other_circle
        )


def test_if_the_opportunity_cannot_be_made_the_request_stays_new(
    triager, triage_circle, help_request
):
    # An opportunity lists at most 20 working languages; this request (edited in the admin)
    # prefers 21, so making the opportunity fails after the request was claimed.
    languages = [LanguageFactory(code=f"l{n}", name=f"Language {n}") for n in range(21)]
    help_request.preferred_languages.set(languages)

    with pytest.raises(ValidationError):
        services.help_request_convert(
            actor=triager.user, help_request=help_request, circle=triage_circle
        )
    row = HelpRequest.objects.get(pk=help_request.pk)
    assert (row.status, row.handled_by, row.opportunity) == (HelpRequest.Status.NEW, None, None)
    assert not Opportunity.objects.exists()


def test_answering_emails_the_requester_and_marks_the_request_answered(
    login, triager, help_request, django_capture_on_commit_callbacks
):
    client = login(triager.user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/request-help/{help_request.pk}/answer/", {"answer": "Two co-ops can help."}
        )
    assert response.status_code == 302
    assert len(queued_work(callbacks)) == 1
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ANSWERED
    assert help_request.answer == "Two co-ops can help."
    assert help_request.handled_at is not None


def test_declining_needs_a_reason(login, triager, help_request):
    response = login(triager.user).post(
        f"/request-help/{help_request.pk}/decline/", {"decline_reason": "  "}
    )
    assert response.status_code == 400
    assert 'id="id_decline_reason_error"' in response.content.decode()
    assert HelpRequest.objects.get(pk=help_request.pk).status == HelpRequest.Status.NEW


def test_an_oversized_answer_is_refused_and_nothing_changes(login, triager, help_request):
    response = login(triager.user).post(
        f"/request-help/{help_request.pk}/answer/", {"answer": "a" * 5001}
    )
    assert response.status_code == 400
    assert HelpRequest.objects.get(pk=help_request.pk).status == HelpRequest.Status.NEW


def test_script_tags_typed_by_a_requester_are_stored_as_typed_and_shown_escaped(
    login, triager, help_request
):
    help_request.organisation_name = "<script>alert('org')</script>"
    help_request.description = "Hello <script>alert('x')</script> <b>bold</b>"
    help_request.save(update_fields=["organisation_name", "description"])
    client = login(triager.user)

    for url in ("/request-help/inbox/", f"/request-help/{help_request.pk}/"):
        page = client.get(url).content.decode()
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page
    assert HelpRequest.objects.get(pk=help_request.pk).description.startswith("Hello <script>")


def test_the_inbox_lists_newest_first_and_filters_by_status(login, triager, help_request):
    from tests.intake.factories import HelpRequestFactory

    newer = HelpRequestFactory(organisation_name="Newer Kooperative")
    HelpRequestFactory(organisation_name="Declined Asociación", status="declined")
    client = login(triager.user)

    page = client.get("/request-help/inbox/").content.decode()
    assert page.index("Newer Kooperative") < page.index("Olla Popular Cerro")
    new_only = client.get("/request-help/inbox/?status=new").content.decode()
    assert newer.organisation_name in new_only
    assert "Declined Asociación" not in new_only


def test_the_description_carries_the_language_the_requester_used(login, triager, help_request):
    """WCAG 3.1.2: a coordinator's screen reader speaks a Spanish description in Spanish."""
    from tests.html_lang import language_of

    HelpRequest.objects.filter(pk=help_request.pk).update(
        language="es", description="Necesitamos ayuda con la contabilidad de la olla."
    )
    client = login(triager.user)

    detail = client.get(f"/request-help/{help_request.pk}/").content.decode()
    inbox = client.get("/request-help/inbox/").content.decode()

    assert language_of(detail, "Necesitamos ayuda") == "es"
    assert language_of(detail, "Their description") == "en"
    assert language_of(inbox, "Necesitamos ayuda") == "es"
