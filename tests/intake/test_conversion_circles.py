"""intake.permissions.conversion_circles: the circles in whose name someone may turn a request into
a draft opportunity. The detail page offers them, the convert page accepts them and the service
refuses any other, all from this one function."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from audit.models import AuditEvent
from intake import permissions, services
from intake.models import HelpRequest
from tests.circles.factories import CoordinatorFactory
from tests.intake.factories import TriageCircleFactory

pytestmark = pytest.mark.django_db


def _slugs(circles) -> set[str]:
    return set(circles.values_list("slug", flat=True))


def test_a_triager_converts_in_the_name_of_the_triage_circles_they_coordinate(
    triager, triage_circle, other_circle
):
    TriageCircleFactory(name="Events", slug="events")  # triages, but Ivan is not in it
    CoordinatorFactory(circle=other_circle, person=triager)  # Ivan coordinates, it does not triage

    assert _slugs(permissions.conversion_circles(triager.user)) == {"job-opportunities"}
    assert permissions.can_convert_into(triager.user, triage_circle)
    assert not permissions.can_convert_into(triager.user, other_circle)


def test_a_network_admin_who_is_a_person_converts_for_every_triage_circle(
    admin_person, triage_circle, other_circle
):
    TriageCircleFactory(name="Events", slug="events")
    assert _slugs(permissions.conversion_circles(admin_person.user)) == {
        "job-opportunities",
        "events",
    }


def test_an_admin_account_without_a_person_converts_nothing(network_admin, triage_circle):
    """It may triage (answer, decline), but an opportunity is posted by a person."""
    assert permissions.can_triage(network_admin)
    assert _slugs(permissions.conversion_circles(network_admin)) == set()
    assert not permissions.can_convert_into(network_admin, triage_circle)


def test_members_and_visitors_convert_nothing(member, other_coordinator, triage_circle):
    for user in (member.user, other_coordinator.user, AnonymousUser()):
        assert _slugs(permissions.conversion_circles(user)) == set()


def test_the_detail_page_offers_the_conversion_circles(login, triager, help_request):
    TriageCircleFactory(name="Events", slug="events")
    page = login(triager.user).get(help_request.get_absolute_url()).content.decode()
    assert "Job opportunities" in page
    assert "Events" not in page


def test_a_page_convert_into_a_circle_not_offered_changes_nothing(login, triager, help_request):
    events = TriageCircleFactory(name="Events", slug="events")
    response = login(triager.user).post(
        f"{help_request.get_absolute_url()}convert/", {"circle": events.pk}
    )
    assert response.status_code == 400
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.NEW


# the public submission, through the same door as every other API write -------------------------
def test_a_request_sent_by_a_logged_in_member_names_them_in_the_audit(member, spanish):
    help_request = services.help_request_submit(
        actor=member.user,
        data={
            "organisation_name": "Olla Popular Cerro",
            "contact_name": "Rosa",
            "contact_email": "rosa@olla.example",
            "country": "UY",
            "need": HelpRequest.Need.BUILD,
            "description": "A page for our kitchen.",
            "budget_range": HelpRequest.Budget.FROM_5K,
            "timeline": HelpRequest.Timeline.FLEXIBLE,
        },
        languages=[spanish],
        language="es",
    )
    event = AuditEvent.objects.get(action="help_request.submit", object_id=str(help_request.pk))
    assert event.actor == member.user


def test_the_already_handled_refusal_is_still_a_validation_error_for_the_pages(
    triager, help_request
):
    """Pages catch ValidationError and show its message; the API answers it with a 409."""
    services.help_request_decline(actor=triager.user, help_request=help_request, reason="No.")
    with pytest.raises(services.AlreadyHandled) as refused:
        services.help_request_answer(actor=triager.user, help_request=help_request, message="Hi")
    assert isinstance(refused.value, services.ValidationError)
    assert "already been handled" in " ".join(refused.value.messages)
