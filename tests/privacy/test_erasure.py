"""Erase my account: personal data goes, the network's records stay whole and point at a
tombstone. Over real rows in every app, on PostgreSQL, where the ledger refuses any change."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import ApiToken
from assemblies.models import Attendance, CalendarFeedToken, Rsvp
from audit.models import AuditEvent
from audit.services import audit_record
from circles.models import CircleMembership, MembershipRequest
from fund.models import Contribution, LedgerEntry, PayoutClaim
from members.models import Invitation, Person, PersonLanguage, PersonSkill
from notifications.models import Notification
from policies.models import ConsentResponse
from privacy import services
from privacy.models import Erasure
from projects.models import Interest, TeamMembership
from tests.factories import PersonFactory
from tests.worker_fixtures import wait_until

ERASE = "/me/privacy/erase/"
PASSWORD = "correct horse battery"
CONFIRM = {"password": PASSWORD, "confirmation": "ERASE"}


def _ledger_row(entry_id: int) -> dict:
    return LedgerEntry.objects.filter(pk=entry_id).values().get()


@pytest.mark.django_db
def test_deleting_a_user_who_recorded_a_ledger_entry_fails_on_postgres(footprint):
    """Why erasure pseudonymises rather than deletes: the ledger refuses the SET NULL."""
    recorder = footprint.ledger_entry.recorded_by  # who confirmed her contribution
    assert recorder is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        recorder.delete()


@pytest.mark.django_db
def test_erasing_myself_clears_my_data_and_keeps_the_networks_records(login, footprint):
    mila = footprint.person
    user_id, old_email = mila.user_id, mila.user.email
    ledger_before = _ledger_row(footprint.ledger_entry.pk)

    Notification.objects.create(
        recipient=mila, kind="poll_reminders", title="Vote", message_id="<x>"
    )
    response = login(mila.user).post(ERASE, CONFIRM)

    assert response.status_code == 302
    person = Person.objects.select_related("user").get(pk=mila.pk)
    tombstone = f"Former member #{mila.pk}"
    assert person.display_name == tombstone
    assert (person.bio, person.phone, person.contact_email, person.is_coop_admin) == (
        "",
        "",
        "",
        False,
    )
    assert not person.open_to_matching
    # The account row stays (the ledger points at it) but can never log in again.
    assert person.user_id == user_id
    assert person.user.email == f"erased-{user_id}@erased.invalid"
    assert not person.user.is_active and not person.user.has_usable_password()
    assert not EmailAddress.objects.filter(email__iexact=old_email).exists()
    for model, lookup in [
        (PersonSkill, {"person": mila}),
        (PersonLanguage, {"person": mila}),
        (CalendarFeedToken, {"person": mila}),
        (ApiToken, {"user_id": user_id}),
        (Authenticator, {"user_id": user_id}),
        (Invitation, {"email__iexact": old_email}),
        (Notification, {"recipient": mila}),
    ]:
        assert not model.objects.filter(**lookup).exists(), model.__name__
    # Notes that may name how to reach her go; the records themselves stay.
    assert Interest.objects.get(pk=footprint.interest.pk).note == ""
    request = MembershipRequest.objects.get(person=mila)
    assert (request.message, request.status) == ("", MembershipRequest.Status.WITHDRAWN)
    assert not CircleMembership.objects.current().filter(person=mila).exists()
    assert CircleMembership.objects.filter(person=mila).exists()  # history is kept
    # The network's records are whole, and point at the tombstone.
    assert _ledger_row(footprint.ledger_entry.pk) == ledger_before
    assert Contribution.objects.get(pk=footprint.contribution.pk).recorded_by_id == user_id
    assert PayoutClaim.objects.get(pk=footprint.claim.pk).person_id == mila.pk
    assert Rsvp.objects.filter(pk=footprint.rsvp.pk, person=mila).exists()
    assert Attendance.objects.filter(person=mila).exists()
    assert ConsentResponse.objects.get(pk=footprint.consent.pk).person_id == mila.pk
    assert TeamMembership.objects.filter(pk=footprint.team_membership.pk).exists()
    assert str(PayoutClaim.objects.get(pk=footprint.claim.pk).person) == tombstone
    # The log keeps its events, labelled with the tombstone, and records the erasure.
    about = AuditEvent.objects.filter(object_type="members.person", object_id=str(mila.pk))
    assert set(about.values_list("object_repr", flat=True)) == {tombstone}
    assert about.filter(action="person.erase", after={"by": "self"}).exists()
    assert Erasure.objects.get(person=mila).by == Erasure.By.SELF


@pytest.mark.django_db
def test_the_audit_log_keeps_its_events_but_no_longer_names_me(footprint):
    mila = footprint.person
    mention = audit_record(
        actor=None,
        action="assembly.rsvp",
        target=footprint.rsvp,  # labelled "Mila Member: Going"
        after={"who": "Mila Member", "reach": ["mila@camplight.coop", "+359 888 123"], "n": 2},
    )
    unrelated = audit_record(actor=None, action="other", target=footprint.claim.circle)

    services.person_erase(actor=mila.user, person=mila)

    mention.refresh_from_db()
    assert mention.object_repr == f"Former member #{mila.pk}: Going"
    assert mention.after == {
        "who": f"Former member #{mila.pk}",
        "reach": ["[erased]", "[erased]"],
        "n": 2,
    }
    assert AuditEvent.objects.filter(pk=unrelated.pk, object_repr="Communications").exists()
    assert not AuditEvent.objects.filter(object_repr__contains="Mila").exists()


@pytest.mark.django_db
def test_after_erasing_myself_i_am_logged_out_for_good(client, member):
    client.force_login(member.user)
    client.post(ERASE, CONFIRM)
    assert client.get("/me/").status_code == 302  # to the login page
    assert not client.login(email="mila@camplight.coop", password=PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"password": "wrong", "confirmation": "ERASE"}, "This is not your password."),
        ({"password": PASSWORD, "confirmation": "yes"}, "Type ERASE to confirm."),
    ],
)
def test_erasing_needs_my_password_and_the_typed_word(login, member, data, error):
    response = login(member.user).post(ERASE, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Mila Member"
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_an_account_is_erased_once(member):
    services.person_erase(actor=member.user, person=member)
    with pytest.raises(Exception, match="already erased"):
        services.person_erase(actor=member.user, person=Person.objects.get(pk=member.pk))


# a co-op admin erases a person of their co-op who has left --------------------------------------
@pytest.fixture
def left_elsewhere(other_coop):
    person = PersonFactory(organisation=other_coop, display_name="Lea Left", user__is_active=False)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        ("coop_admin", "deactivated", 302),  # of their co-op, and has left
        ("coop_admin", "colleague", 403),  # still active
        ("coop_admin", "left_elsewhere", 403),  # another co-op's
        ("colleague", "deactivated", 403),  # not an admin
        ("outsider", "deactivated", 403),
        ("network_admin", "deactivated", 403),
    ],
)
def test_who_may_erase_whom(request, client, actor, target, expected):
    cast = request.getfixturevalue(actor)
    person = request.getfixturevalue(target)
    client.force_login(getattr(cast, "user", cast))
    assert client.get(f"{ERASE}{person.pk}/").status_code in {expected, 200}
    response = client.post(f"{ERASE}{person.pk}/", CONFIRM)
    assert response.status_code == expected
    person.refresh_from_db()
    assert (person.display_name == f"Former member #{person.pk}") is (expected == 302)
    assert Erasure.objects.filter(person=person).exists() is (expected == 302)


@pytest.mark.django_db
def test_a_coop_admin_erasure_is_audited_and_named(login, coop_admin, deactivated):
    login(coop_admin.user).post(f"{ERASE}{deactivated.pk}/", CONFIRM)
    event = AuditEvent.objects.get(action="person.erase")
    assert event.actor_id == coop_admin.user_id
    assert event.after == {"by": "coop_admin"}
    assert Erasure.objects.get(person=deactivated).actor_id == coop_admin.user_id


@pytest.mark.django_db
def test_the_person_page_offers_erasure_to_the_coop_admin_only_once_they_left(
    login, coop_admin, deactivated, colleague
):
    client = login(coop_admin.user)
    assert (
        f'href="{ERASE}{deactivated.pk}/"'
        in client.get(f"/people/{deactivated.pk}/").content.decode()
    )
    assert (
        f'href="{ERASE}{colleague.pk}/"'
        not in client.get(f"/people/{colleague.pk}/").content.decode()
    )


@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_the_person_is_told_by_email_at_the_address_they_had(
    celery_worker, client, coop_admin, deactivated
):
    client.force_login(coop_admin.user)
    assert client.post(f"{ERASE}{deactivated.pk}/", CONFIRM).status_code == 302
    wait_until(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["dora@camplight.coop"]
    assert "admin of your co-op" in mail.outbox[0].body
    # A repeat of this email (a retry after the server took it) would carry the same id.
    erasure = Erasure.objects.get(person=deactivated)
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<privacy.erasure.{erasure.pk}@")
    deactivated.refresh_from_db()
    assert deactivated.user.email != "dora@camplight.coop"
