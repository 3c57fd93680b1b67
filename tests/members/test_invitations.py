"""Joining by invitation: a co-op admin invites, the email goes out once, the invitee signs up."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from accounts.models import User
from audit.models import AuditEvent
from members import services
from members.emails import invitation_email_send
from members.models import Invitation, Organisation, Person
from members.tasks import send_invitation
from tests.conftest import PASSWORD, queued
from tests.factories import InvitationFactory
from tests.matrix import reauthenticated

pytestmark = pytest.mark.django_db

INVITE_URL = "/coops/camplight/invitations/"
NEW_PASSWORD = "a long enough passphrase 42"
FAR_FUTURE = dt.datetime(2099, 7, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _default_language():
    """Requests leave their language active in the thread; services called directly here
    must start from the site's default, as a worker does."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _invite_by_page(client, **fields):
    data = {"email": "nadia@example.coop", "display_name": "Nadia New", **fields}
    return client.post(INVITE_URL, data)


def _queued_invitation_ids(callbacks) -> list[int]:
    """The invitation ids of the send_invitation tasks queued to run after commit."""
    return [args[0] for args in queued(send_invitation)]


# inviting ----------------------------------------------------------------------------------------
def test_coop_admin_invites_by_email_and_the_email_is_queued_after_commit(
    login, coop_admin, django_capture_on_commit_callbacks
):
    client = login(coop_admin.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _invite_by_page(client, email="Nadia@Example.coop")

    assert response.status_code == 302
    assert response["Location"] == INVITE_URL
    invitation = Invitation.objects.get()
    assert invitation.email == "nadia@example.coop"
    assert invitation.organisation.slug == "camplight"
    assert invitation.invited_by == coop_admin.user
    assert invitation.is_usable
    assert invitation.email_sent_at is None
    assert _queued_invitation_ids(callbacks) == [invitation.pk]
    event = AuditEvent.objects.get(action="invitation.create")
    assert event.actor == coop_admin.user
    assert event.object_id == str(invitation.pk)
    assert event.after == {
        "email": "nadia@example.coop",
        "organisation": "camplight",
        "as_coop_admin": False,
    }


def test_the_invitations_page_lists_the_pending_invitation(login, coop_admin):
    client = login(coop_admin.user)
    _invite_by_page(client)
    page = client.get(INVITE_URL).content.decode()
    assert "nadia@example.coop" in page
    assert "Pending, expires" in page


def test_inviting_an_email_that_already_has_an_account_is_refused_next_to_the_field(
    login, coop_admin, colleague, django_capture_on_commit_callbacks
):
    client = login(coop_admin.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _invite_by_page(client, email=colleague.user.email.upper())

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_email_error"' in page
    assert "already has an account" in page
    assert colleague.user.email.upper() in page  # what was typed is kept
    assert not Invitation.objects.exists()
    assert callbacks == []


def test_inviting_someone_twice_while_the_first_invitation_is_pending_is_refused(login, coop_admin):
    client = login(coop_admin.user)
    _invite_by_page(client)
    response = _invite_by_page(client)
    assert response.status_code == 200
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_member_who_is_not_coop_admin_cannot_invite(login, member):
    response = _invite_by_page(login(member.user))
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_coop_admin_revokes_a_pending_invitation(login, coop_admin):
    client = login(coop_admin.user)
    _invite_by_page(client)
    invitation = Invitation.objects.get()

    response = client.post(f"{INVITE_URL}{invitation.pk}/revoke/")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(
        action="invitation.revoke", object_id=str(invitation.pk)
    ).exists()
    assert client.get(invitation.get_absolute_url()).status_code == 410


# the email ---------------------------------------------------------------------------------------
def test_the_invitation_email_goes_to_the_invitee_once_with_the_link(login, coop_admin):
    _invite_by_page(login(coop_admin.user))
    invitation = Invitation.objects.get()

    assert invitation_email_send(invitation_id=invitation.pk) is True
    assert invitation_email_send(invitation_id=invitation.pk) is False

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nadia@example.coop"]
    assert "Camplight" in email.subject
    assert f"{settings.SITE_URL}/join/" in email.body
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


@pytest.mark.parametrize(
    ("language", "month", "other_month"),
    [("en", "July", "julio"), ("es", "julio", "July")],
)
def test_the_invitation_email_is_written_in_the_inviters_language(
    login, coop_admin, language, month, other_month
):
    Person.objects.filter(pk=coop_admin.pk).update(language=language)
    _invite_by_page(login(coop_admin.user))
    invitation = Invitation.objects.get()
    assert invitation.language == language
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=FAR_FUTURE)

    invitation_email_send(invitation_id=invitation.pk)

    body = mail.outbox[0].body
    assert month in body  # the expiry date, written the way the inviter reads dates
    assert other_month not in body
    assert "2099" in body


def test_the_email_for_a_first_admin_says_they_will_be_admin(network_admin, coop):
    invitation = services.invitation_create(
        actor=network_admin, organisation=coop, email="first@example.coop", as_coop_admin=True
    )
    invitation_email_send(invitation_id=invitation.pk)
    assert "You will be an admin of your co-op" in mail.outbox[0].body


@pytest.mark.parametrize(
    "state",
    [
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
        {"expires_at": timezone.now() - dt.timedelta(minutes=1)},
    ],
    ids=["revoked", "accepted", "expired"],
)
def test_no_email_goes_out_for_an_invitation_that_can_no_longer_be_used(coop, state):
    invitation = InvitationFactory(organisation=coop, **state)
    assert invitation_email_send(invitation_id=invitation.pk) is False
    assert mail.outbox == []


# joining -----------------------------------------------------------------------------------------
def _sign_up(client, invitation):
    landing = client.get(invitation.get_absolute_url())
    assert landing.status_code == 200
    signup_page = client.get("/accounts/signup/")
    assert signup_page.status_code == 200
    return client.post(
        "/accounts/signup/",
        {"email": invitation.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_the_invitation_link_shows_which_coop_invites_and_links_to_signup(client, coop):
    invitation = InvitationFactory(organisation=coop, email="nadia@example.coop")
    response = client.get(invitation.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Join Camplight on Patio" in page
    assert "nadia@example.coop" in page
    assert 'href="/accounts/signup/"' in page


def test_the_invitee_signs_up_and_becomes_a_logged_in_person_of_the_coop(client, coop):
    invitation = InvitationFactory(
        organisation=coop, email="nadia@example.coop", display_name="Nadia New"
    )

    response = _sign_up(client, invitation)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="nadia@example.coop")
    person = Person.objects.get(user=user)
    assert person.organisation == coop
    assert person.display_name == "Nadia New"
    assert person.is_coop_admin is False
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user
    assert EmailAddress.objects.get(user=user).verified is True
    assert int(client.session["_auth_user_id"]) == user.pk
    assert mail.outbox == []  # no confirmation email: the invitation proved the address
    assert AuditEvent.objects.filter(action="invitation.accept", actor=user).exists()
    assert client.get("/me/").status_code == 200


def test_a_used_invitation_link_answers_410(client, coop):
    invitation = InvitationFactory(organisation=coop)
    _sign_up(client, invitation)
    client.logout()
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "This invitation cannot be used" in response.content.decode()


@pytest.mark.parametrize(
    "state",
    [
        {"expires_at": timezone.now() - dt.timedelta(seconds=1)},
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
    ],
    ids=["expired", "revoked", "used"],
)
def test_an_unusable_invitation_link_answers_410(client, coop, state):
    invitation = InvitationFactory(organisation=coop, **state)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "This invitation cannot be used" in response.content.decode()


def test_an_unknown_invitation_link_answers_410(client, db):
    assert client.get("/join/not-a-real-token/").status_code == 410


def test_signup_without_an_invitation_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Joining is by invitation" in response.content.decode()

    client.post(
        "/accounts/signup/",
        {"email": "eve@example.coop", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="eve@example.coop").exists()


def test_signup_closes_when_the_invitation_is_revoked_after_the_link_was_opened(client, coop):
    invitation = InvitationFactory(organisation=coop, email="nadia@example.coop")
    client.get(invitation.get_absolute_url())
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

    response = client.post(
        "/accounts/signup/",
        {"email": "nadia@example.coop", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert "Joining is by invitation" in response.content.decode()
    assert not User.objects.filter(email="nadia@example.coop").exists()


def test_a_logged_in_person_opening_an_invitation_is_sent_home(login, member, coop):
    invitation = InvitationFactory(organisation=coop)
    response = login(member.user).get(invitation.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == "/"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_admin_invitation_makes_the_invitee_coop_admin(client, coop):
    invitation = InvitationFactory(organisation=coop, as_coop_admin=True)
    _sign_up(client, invitation)
    person = Person.objects.get(user__email=invitation.email)
    assert person.is_coop_admin is True
    assert client.get(INVITE_URL).status_code == 200


def test_the_same_invitation_cannot_be_accepted_twice(coop):
    from tests.factories import UserFactory

    invitation = InvitationFactory(organisation=coop)
    first, second = UserFactory(), UserFactory()

    token = invitation.get_absolute_url().split("/")[-2]
    services.invitation_accept(token=token, user=first)
    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(token=token, user=second)

    assert list(Person.objects.filter(organisation=coop).values_list("user", flat=True)) == [
        first.pk
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_by == first


# a new co-op -------------------------------------------------------------------------------------
def test_network_admin_adds_a_coop_and_invites_its_first_admin(
    login, network_admin, django_capture_on_commit_callbacks
):
    client = reauthenticated(login(network_admin))  # inviting a co-op admin asks for it
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/coops/new/",
            {
                "name": "Cooperativa Tejedora",
                "kind": Organisation.Kind.WORKER_COOP,
                "country": "UY",
                "short_description": "Weavers of software",
                "email": "lucia@tejedora.coop",
                "display_name": "Lucía",
            },
        )

    organisation = Organisation.objects.get(name="Cooperativa Tejedora")
    assert response.status_code == 302
    assert response["Location"] == f"/coops/{organisation.slug}/"
    assert organisation.status == Organisation.Status.APPLICANT
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.display_name, invitation.as_coop_admin) == (
        "lucia@tejedora.coop",
        "Lucía",
        True,
    )
    assert _queued_invitation_ids(callbacks) == [invitation.pk]
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "organisation.create",
        "invitation.create",
    }

    client.logout()
    _sign_up(client, invitation)
    first_admin = Person.objects.get(user__email="lucia@tejedora.coop")
    assert first_admin.organisation == organisation
    assert first_admin.is_coop_admin is True
    assert first_admin.display_name == "Lucía"


def test_a_failed_new_coop_invitation_leaves_no_coop_behind(
    login, network_admin, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reauthenticated(login(network_admin)).post(
            "/coops/new/",
            {
                "name": "Cooperativa Fantasma",
                "kind": Organisation.Kind.WORKER_COOP,
                "country": "UY",
                "short_description": "Never created",
                "email": member.user.email,
                "display_name": "",
            },
        )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Organisation.objects.filter(name="Cooperativa Fantasma").exists()
    assert not AuditEvent.objects.exists()
    assert callbacks == []


def test_a_coop_admin_cannot_add_a_coop(login, coop_admin):
    response = login(coop_admin.user).get("/coops/new/")
    assert response.status_code == 403


def test_inviting_someone_as_coop_admin_asks_for_the_password(client, coop_admin):
    client.force_login(coop_admin.user)

    plain = _invite_by_page(client, email="plain@example.coop")
    assert not plain["Location"].startswith("/accounts/reauthenticate/")
    as_admin = _invite_by_page(client, email="boss@example.coop", as_coop_admin="on")

    assert as_admin.status_code == 302
    assert as_admin["Location"].startswith("/accounts/reauthenticate/")
    assert not Invitation.objects.filter(email="boss@example.coop").exists()
    client.post(as_admin["Location"], {"password": "correct horse battery"})
    assert Invitation.objects.get(email="boss@example.coop").as_coop_admin is True
