"""The writes coordinators and admins rely on: circles, memberships with their history, and
join/leave requests. Each is atomic: a refused write leaves nothing behind."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from circles import services
from circles.models import Circle, CircleMembership, MembershipRequest
from tests.circles.conftest import LONG_AGO
from tests.circles.factories import CircleMembershipFactory, MembershipRequestFactory

pytestmark = pytest.mark.django_db
Role = CircleMembership.Role


def _today():
    return timezone.localdate()


# Circles ---------------------------------------------------------------------------------------
def test_network_admin_creates_a_circle_with_its_first_coordinators(
    network_admin, member, outsider
):
    circle = services.circle_create(
        actor=network_admin,
        name="Tech infrastructure",
        purpose="Keep things running.",
        accountabilities="Backups\n\n  Monitoring  \n",
        coordinators=[member, outsider],
    )

    assert circle.slug == "tech-infrastructure"
    assert circle.accountabilities == ["Backups", "Monitoring"]
    coordinators = CircleMembership.objects.current().filter(circle=circle, role=Role.COORDINATOR)
    assert set(coordinators.values_list("person", flat=True)) == {member.pk, outsider.pk}
    assert AuditEvent.objects.filter(action="circle.create", object_id=str(circle.pk)).exists()


def test_only_network_admins_create_circles(coordinator, member):
    with pytest.raises(PermissionDenied):
        services.circle_create(actor=coordinator.user, name="Mine", purpose="x")
    assert not Circle.objects.filter(name="Mine").exists()


def test_a_circle_with_a_taken_name_is_refused_and_nobody_is_appointed(
    network_admin, circle, member
):
    with pytest.raises(ValidationError) as error:
        services.circle_create(
            actor=network_admin, name="Job opportunities", purpose="x", coordinators=[member]
        )
    assert "name" in error.value.message_dict
    assert not CircleMembership.objects.filter(person=member).exists()


def test_coordinator_edits_their_circle_and_only_what_changed_is_audited(circle, coordinator):
    services.circle_update(
        actor=coordinator.user,
        circle=circle,
        data={"purpose": "A new purpose", "meeting_rhythm": circle.meeting_rhythm},
    )

    circle.refresh_from_db()
    assert circle.purpose == "A new purpose"
    (event,) = AuditEvent.objects.filter(action="circle.update")
    assert event.before == {"purpose": "Work that matters to the network."}
    assert event.after == {"purpose": "A new purpose"}


def test_coordinator_of_another_circle_cannot_edit_this_one(circle, other_circle, outsider):
    with pytest.raises(PermissionDenied):
        services.circle_update(actor=outsider.user, circle=circle, data={"purpose": "Taken over"})


def test_coordinator_cannot_move_their_circle_or_make_it_triage_help_requests(
    circle, other_circle, coordinator
):
    with pytest.raises(PermissionDenied):
        services.circle_update(
            actor=coordinator.user, circle=circle, data={"triages_help_requests": True}
        )
    with pytest.raises(PermissionDenied):
        services.circle_update(actor=coordinator.user, circle=circle, data={"parent": other_circle})


def test_a_circle_cannot_be_placed_inside_its_own_sub_circle(network_admin, circle, other_circle):
    services.circle_update(actor=network_admin, circle=other_circle, data={"parent": circle})
    with pytest.raises(ValidationError) as error:
        services.circle_update(actor=network_admin, circle=circle, data={"parent": other_circle})
    assert "parent" in error.value.message_dict
    circle.refresh_from_db()
    assert circle.parent is None


def test_oversized_purpose_is_refused_and_nothing_is_saved(circle, coordinator):
    with pytest.raises(ValidationError) as error:
        services.circle_update(actor=coordinator.user, circle=circle, data={"purpose": "x" * 2001})
    assert "purpose" in error.value.message_dict
    circle.refresh_from_db()
    assert circle.purpose == "Work that matters to the network."
    assert not AuditEvent.objects.exists()


# Memberships -----------------------------------------------------------------------------------
def test_coordinator_adds_a_member_with_hours_and_duties(circle, coordinator, member):
    membership = services.membership_add(
        actor=coordinator.user,
        circle=circle,
        person=member,
        hours_per_month=6,
        duties="Keeps the minutes",
    )
    assert (membership.role, membership.start_date, membership.end_date) == (
        Role.MEMBER,
        _today(),
        None,
    )
    assert AuditEvent.objects.filter(action="circle.membership.add").count() == 1


def test_adding_someone_who_is_already_a_member_is_refused(circle, coordinator):
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=coordinator.user, circle=circle, person=coordinator)
    assert "person" in error.value.message_dict
    assert CircleMembership.objects.filter(circle=circle).count() == 1


def test_changing_a_role_keeps_the_old_role_in_the_history(circle, coordinator, member):
    old = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)

    current = services.membership_change_role(
        actor=coordinator.user, membership=old, role=Role.SECRETARY
    )

    old.refresh_from_db()
    yesterday = _today() - datetime.timedelta(days=1)
    assert (old.role, old.end_date) == (Role.MEMBER, yesterday)
    assert (current.role, current.start_date, current.end_date) == (Role.SECRETARY, _today(), None)
    held_today = CircleMembership.objects.current().filter(circle=circle, person=member)
    assert list(held_today) == [current]


def test_changing_only_hours_edits_the_membership_in_place(circle, coordinator, member):
    old = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    current = services.membership_change_role(
        actor=coordinator.user, membership=old, hours_per_month=12
    )
    assert current.pk == old.pk and current.hours_per_month == 12
    assert CircleMembership.objects.filter(circle=circle, person=member).count() == 1


def test_hours_beyond_the_limit_are_refused_and_the_role_is_not_changed(
    circle, coordinator, member
):
    old = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    with pytest.raises(ValidationError):
        services.membership_change_role(
            actor=coordinator.user, membership=old, role=Role.SECRETARY, hours_per_month=900
        )
    old.refresh_from_db()
    assert (old.role, old.end_date) == (Role.MEMBER, None)
    assert CircleMembership.objects.filter(circle=circle, person=member).count() == 1


def test_ending_a_membership_now_makes_yesterday_its_last_day(circle, coordinator, member):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    services.membership_end(actor=coordinator.user, membership=membership)
    membership.refresh_from_db()
    assert membership.end_date == _today() - datetime.timedelta(days=1)
    assert not CircleMembership.objects.current().filter(person=member).exists()


def test_a_membership_cannot_end_before_it_starts(circle, coordinator, member):
    membership = CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    with pytest.raises(ValidationError) as error:
        services.membership_end(
            actor=coordinator.user, membership=membership, end_date=datetime.date(2023, 1, 1)
        )
    assert "end_date" in error.value.message_dict
    membership.refresh_from_db()
    assert membership.end_date is None
    assert not AuditEvent.objects.filter(action="circle.membership.end").exists()


def test_a_membership_added_by_mistake_today_is_removed_when_ended(circle, coordinator, member):
    membership = services.membership_add(actor=coordinator.user, circle=circle, person=member)
    assert services.membership_end(actor=coordinator.user, membership=membership) is None
    assert not CircleMembership.objects.filter(person=member).exists()
    assert AuditEvent.objects.filter(action="circle.membership.remove").count() == 1


def test_a_member_cannot_manage_memberships(circle, member, colleague):
    membership = CircleMembership.objects.get(circle=circle, person=colleague)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=member.user, circle=circle, person=member)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=member.user, membership=membership)


# Requests --------------------------------------------------------------------------------------
def test_member_asks_to_join_once_and_a_second_request_is_refused(circle, member):
    services.membership_request_create(actor=member.user, circle=circle, kind="join")
    with pytest.raises(ValidationError):
        services.membership_request_create(actor=member.user, circle=circle, kind="join")
    assert MembershipRequest.objects.filter(person=member).count() == 1


def test_a_member_cannot_ask_to_join_a_circle_they_are_in_nor_leave_one_they_are_not(
    circle, coordinator, member
):
    with pytest.raises(ValidationError):
        services.membership_request_create(actor=coordinator.user, circle=circle, kind="join")
    with pytest.raises(ValidationError):
        services.membership_request_create(actor=member.user, circle=circle, kind="leave")
    assert not MembershipRequest.objects.exists()


def test_approving_a_join_request_adds_the_membership(circle, coordinator, member):
    request = services.membership_request_create(actor=member.user, circle=circle, kind="join")
    services.membership_request_decide(actor=coordinator.user, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.APPROVED
    assert request.decided_by == coordinator
    assert CircleMembership.objects.current().filter(circle=circle, person=member).exists()


def test_approving_a_leave_request_ends_the_membership(circle, coordinator, member):
    CircleMembershipFactory(circle=circle, person=member, start_date=LONG_AGO)
    request = services.membership_request_create(actor=member.user, circle=circle, kind="leave")
    services.membership_request_decide(actor=coordinator.user, request=request, approve=True)
    assert not CircleMembership.objects.current().filter(circle=circle, person=member).exists()
    assert CircleMembership.objects.filter(circle=circle, person=member).exists()  # history


def test_declining_adds_nothing_and_a_decided_request_cannot_be_decided_again(
    circle, coordinator, member, network_admin
):
    request = services.membership_request_create(actor=member.user, circle=circle, kind="join")
    services.membership_request_decide(actor=coordinator.user, request=request, approve=False)
    with pytest.raises(ValidationError):
        services.membership_request_decide(actor=network_admin, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.DECLINED
    assert not CircleMembership.objects.filter(person=member).exists()


def test_coordinator_of_another_circle_cannot_decide(circle, other_circle, outsider, member):
    request = MembershipRequestFactory(circle=circle, person=member)
    with pytest.raises(PermissionDenied):
        services.membership_request_decide(actor=outsider.user, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.PENDING


def test_only_its_author_withdraws_a_request(circle, member, coordinator):
    request = MembershipRequestFactory(circle=circle, person=member)
    with pytest.raises(PermissionDenied):
        services.membership_request_withdraw(actor=coordinator.user, request=request)
    services.membership_request_withdraw(actor=member.user, request=request)
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.WITHDRAWN
