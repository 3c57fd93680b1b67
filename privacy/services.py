"""The writes of the privacy app: asking for a download of one's data, and erasing a person.

Erasure keeps the network's records whole. The ledger is immutable (a PostgreSQL trigger refuses
UPDATE and DELETE), and ledger entries, decisions, claims, consent responses and the audit log
point at the person and their user. So neither row is deleted: both become a tombstone
("Former member #123") with every personal field cleared, and what only served the person
(skills, languages, email addresses, two-factor devices, tokens, sessions, pending invitations,
calendar links, notes, downloads) is deleted. The API's changes feed lists the person as deleted,
with the tokens and memberships that went, so partner tools drop their copies."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User
from assemblies.models import CalendarFeedToken
from audit.models import AuditEvent
from audit.services import audit_record
from catalogue.services import contacts_forget_for_erasure
from circles.models import CircleMembership, MembershipRequest
from circles.services import participation_refresh
from members.models import Invitation, Person, PersonLanguage, PersonSkill
from members.permissions import person_of
from members.search import refresh_search_vectors
from notifications.models import Notification
from patio import outbox
from patio.dates import network_today
from patio.emails import kinds
from privacy import hooks, permissions
from privacy.exports import private_storage
from privacy.models import DataExport, Erasure
from privacy.tasks import build_data_export, send_erasure_notice
from projects.models import Interest
from sync import resources as sync_resources
from sync.services import tombstone_record


class ExportInProgress(ValidationError):
    """A download is already being prepared for this person."""


@transaction.atomic
def data_export_request(*, actor: User) -> DataExport:
    """Ask for a download of everything the platform holds about the actor; a task prepares it
    once this commits."""
    if not permissions.can_download_own_data(actor):
        raise PermissionDenied(_("Only a person of the network has data to download."))
    person = person_of(actor)
    assert person is not None  # can_download_own_data says so
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one request at a time
    if DataExport.objects.filter(person=person, status__in=DataExport.IN_PROGRESS).exists():
        raise ExportInProgress(
            _("Your download is already being prepared."), code="export_in_progress"
        )
    export = DataExport.objects.create(person=person)
    audit_record(actor=actor, action="privacy.export_request", target=person)
    outbox.enqueue(build_data_export, export.pk)
    return export


def tombstone_name(person_id: int) -> str:
    # Stored, so written in the network's language rather than the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Former member #%(number)s") % {"number": person_id}


def _erase_account(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    # A new password hash also ends every session: Django checks it on each request.
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save(
        update_fields=["email", "password", "is_active", "is_staff", "is_superuser", "last_login"]
    )


_CLEARED: dict[str, Any] = {
    "bio": "",
    "country": "",
    "timezone": "UTC",
    "hours_per_week": 0,
    "available_from": None,
    "open_to_matching": False,
    "profile_visibility": Person.ProfileVisibility.MEMBERS,
    "is_coop_admin": False,
    "contact_email": "",
    "phone": "",
    "chat": "",
    "website": "",
}


def _erase_person(person: Person, old_email: str) -> None:
    PersonSkill.objects.filter(person=person).delete()
    PersonLanguage.objects.filter(person=person).delete()
    pending = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    invitations = Q(person=person)
    if old_email:
        invitations |= Q(email__iexact=old_email)
    Invitation.objects.filter(pending, invitations).delete()
    CalendarFeedToken.objects.filter(person=person).delete()
    Interest.objects.filter(person=person).update(note="")
    MembershipRequest.objects.filter(person=person).update(message="")
    MembershipRequest.objects.filter(person=person, status=MembershipRequest.Status.PENDING).update(
        status=MembershipRequest.Status.WITHDRAWN
    )
    # Memberships end (an end date counts its own day, so yesterday); their history stays, as
    # the ledger's does. One that starts today or later never starts.
    today = network_today()
    CircleMembership.objects.filter(person=person, start_date__gte=today).delete()
    CircleMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), person=person
    ).update(end_date=today - datetime.timedelta(days=1), updated_at=timezone.now())
    for name in (
        DataExport.objects.filter(person=person)
        .exclude(file_name="")
        .values_list("file_name", flat=True)
    ):
        private_storage().delete(name)
    DataExport.objects.filter(person=person).delete()
    # Her notifications' titles name what happened to her, and others with it.
    Notification.objects.filter(recipient=person).delete()
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(
        display_name=tombstone_name(person.pk),
        email_choices={kind.key: Person.Notify.NEVER.value for kind in kinds()},
        erased_at=now,
        updated_at=now,
        **_CLEARED,
    )
    participation_refresh([person.pk])
    refresh_search_vectors(person_ids=[person.pk])
    _scrub_audit_log(person, old_email)


# Shorter values would match unrelated text in the log.
SCRUB_MIN_LENGTH = 4


def _scrub(value: Any, personal: dict[str, str]) -> Any:
    if isinstance(value, str):
        for text, replacement in personal.items():
            value = value.replace(text, replacement)
        return value
    if isinstance(value, list):
        return [_scrub(item, personal) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, personal) for key, item in value.items()}
    return value


def _scrub_audit_log(person: Person, old_email: str) -> None:
    """The log keeps every event, but no longer names the person: the events about them are
    labelled with the tombstone, and their name, addresses and phone are replaced wherever an
    event's label or recorded values hold them (an RSVP's label, an invitation's address…)."""
    tombstone = tombstone_name(person.pk)
    about = Q(object_type="members.person", object_id=str(person.pk))
    if person.user_id is not None:
        about |= Q(object_type="accounts.user", object_id=str(person.user_id))
    AuditEvent.objects.filter(about).update(object_repr=tombstone)
    contacts = [old_email, person.contact_email, person.phone, person.chat]
    with translation.override(settings.LANGUAGE_CODE):  # stored: the network's language
        erased = _("[erased]")
    personal = {v: erased for v in contacts if v and len(v) >= SCRUB_MIN_LENGTH}
    if len(person.display_name) >= SCRUB_MIN_LENGTH:
        personal[person.display_name] = tombstone
    if not personal:
        return
    mentions = Q()
    for text in personal:
        mentions |= Q(object_repr__contains=text)
    changed = []
    for event in AuditEvent.objects.filter(about | mentions).only("object_repr", "before", "after"):
        event.object_repr = _scrub(event.object_repr, personal)[:200]
        event.before, event.after = _scrub(event.before, personal), _scrub(event.after, personal)
        changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["object_repr", "before", "after"], batch_size=500)


@transaction.atomic
def person_erase(*, actor: User, person: Person) -> Person:
    """Erase a person's personal data, keeping their rows as a tombstone. The person is told
    by email, at the address they had, once this commits.

    The caller has confirmed it (the actor's password and a typed confirmation)."""
    locked = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=person.pk)
    )
    if Erasure.objects.filter(person=locked).exists():
        raise ValidationError(_("This account is already erased."), code="already_erased")
    if not permissions.can_erase(actor, locked):
        raise PermissionDenied(_("You may not erase this person's account."))
    by_self = locked.user_id == actor.pk
    notify_to, language = locked.email_address, locked.language
    old_email = locked.user.email if locked.user is not None else ""
    # Partners that copied the person (as whoever could see them before) drop the copy: the row
    # stays as a tombstone, but the person it described is gone from the API.
    seen_by = sync_resources.RESOURCES[Person].audience(locked)
    # Apps above privacy forget what is only this person's while it still names them.
    hooks.erased(person=locked, actor=actor)
    # Her agreement to be named on catalogue entries (and in their publiccode.yml) goes too.
    contacts_forget_for_erasure(person=locked, actor=actor)
    if locked.user is not None:
        _erase_account(locked.user)
    _erase_person(locked, old_email)
    tombstone_record(locked, audience=seen_by)
    erasure = Erasure.objects.create(
        person=locked, by=Erasure.By.SELF if by_self else Erasure.By.COOP_ADMIN, actor=actor
    )
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action="person.erase",
        target=locked,
        after={"by": "self" if by_self else "coop_admin"},
    )
    if notify_to:
        outbox.enqueue(send_erasure_notice, notify_to, language, not by_self, erasure_id=erasure.pk)
    return locked
