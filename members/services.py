"""Every write to the directory that matters: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from members import hooks, permissions, vocabulary
from members.models import (
    Invitation,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Skill,
    timezone_names,
)
from members.search import refresh_search_vectors
from members.tasks import send_invitation
from patio import emails, outbox
from patio.dates import network_today
from webhooks import events

if TYPE_CHECKING:
    from accounts.models import AnyUser

PERSON_AUDITED_FIELDS = ("is_coop_admin", "hours_per_week", "organisation_id")
# Derived from circle memberships (circles.services.participation_refresh), never typed in.
DERIVED_PERSON_FIELDS = ("participation",)
ORGANISATION_AUDITED_FIELDS = ("status", "kind")
# The webhook events of the directory (registered in members.apps).
ORGANISATION_CREATED = "organisation.created"
ORGANISATION_UPDATED = "organisation.updated"
ORGANISATION_LEFT = "organisation.left"


def _changed(instance: Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(instance, name), value)
        for name, value in data.items()
        if getattr(instance, name) != value
    }


@transaction.atomic
def person_update(
    *,
    actor: AnyUser,
    person: Person,
    data: dict[str, Any],
    skills: list[dict[str, Any]] | None = None,
    languages: list[dict[str, Any]] | None = None,
) -> Person:
    """Save the given profile fields (only what changed is written) and, when given, make the
    person's skills and languages exactly `skills` and `languages`: all of it or nothing."""
    if not permissions.can_edit_person(actor, person):
        raise PermissionDenied
    derived = sorted(set(data) & set(DERIVED_PERSON_FIELDS))
    if derived:
        raise ValidationError(
            {name: _("This follows from circle memberships and cannot be set.") for name in derived}
        )
    _profile_save(actor=actor, person=person, data=data)
    if skills is not None:
        _skills_replace(person, skills)
    if languages is not None:
        _languages_replace(person, languages)
    return person


def _profile_save(*, actor: AnyUser, person: Person, data: dict[str, Any]) -> None:
    changes = _changed(person, data)
    if not changes:
        return
    for name, (_before, after) in changes.items():
        setattr(person, name, after)
    person.full_clean(exclude=["user", "organisation"])
    person.save(update_fields=[*changes, "updated_at"])
    audited = {k: v for k, v in changes.items() if k in PERSON_AUDITED_FIELDS}
    if audited:
        audit_record(
            actor=actor,
            action="person.role",
            target=person,
            before={k: v[0] for k, v in audited.items()},
            after={k: v[1] for k, v in audited.items()},
        )
    if {"display_name", "bio"} & changes.keys():
        refresh_search_vectors(person_ids=[person.pk])


@transaction.atomic
def people_download_record(
    *, actor: AnyUser, filters: list[tuple[str, list[str]]], people: int
) -> None:
    """Record that `actor` downloaded the people directory: personal data leaving the site in
    bulk, so the audit log says who took which list (its filters) and how many people it held."""
    if not permissions.can_download_directory(actor):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="person.download",
        target=actor,
        after={"filters": {name: values for name, values in filters if values}, "people": people},
    )


@transaction.atomic
def person_set_coop_admin(*, actor: AnyUser, person: Person, is_admin: bool) -> Person:
    if not permissions.can_set_coop_admin(actor, person):
        raise PermissionDenied
    if person.is_coop_admin != is_admin:
        audit_record(
            actor=actor,
            action="person.coop_admin",
            target=person,
            before={"is_coop_admin": person.is_coop_admin},
            after={"is_coop_admin": is_admin},
        )
        person.is_coop_admin = is_admin
        person.save(update_fields=["is_coop_admin", "updated_at"])
    return person


@transaction.atomic
def person_skills_replace(*, actor: AnyUser, person: Person, skills: list[dict[str, Any]]) -> None:
    """Make the person's skills exactly `skills` (each: skill, level, years)."""
    if not permissions.can_edit_person(actor, person):
        raise PermissionDenied
    _skills_replace(person, skills)


def _skills_replace(person: Person, skills: list[dict[str, Any]]) -> None:
    wanted = {item["skill"].pk: item for item in skills}
    if len(wanted) != len(skills):
        raise ValidationError(_("Each skill can be listed once."))
    current = {ps.skill_id: ps for ps in person.person_skills.all()}
    removed, _by_model = (
        PersonSkill.objects.filter(person=person).exclude(skill_id__in=wanted).delete()
    )
    changed = removed > 0
    for skill_id, item in wanted.items():
        existing = current.get(skill_id)
        if existing is None:
            PersonSkill.objects.create(
                person=person, skill=item["skill"], level=item["level"], years=item.get("years", 0)
            )
            changed = True
        elif (existing.level, existing.years) != (item["level"], item.get("years", 0)):
            existing.level, existing.years = item["level"], item.get("years", 0)
            existing.save(update_fields=["level", "years"])
            changed = True
    if changed:
        _touch(person)
    refresh_search_vectors(person_ids=[person.pk], organisation_ids=[person.organisation_id])


@transaction.atomic
def person_languages_replace(
    *, actor: AnyUser, person: Person, languages: list[dict[str, Any]]
) -> None:
    """Make the person's languages exactly `languages` (each: language, proficiency)."""
    if not permissions.can_edit_person(actor, person):
        raise PermissionDenied
    _languages_replace(person, languages)


def _languages_replace(person: Person, languages: list[dict[str, Any]]) -> None:
    wanted = {item["language"].pk: item for item in languages}
    if len(wanted) != len(languages):
        raise ValidationError(_("Each language can be listed once."))
    current = dict(person.person_languages.values_list("language_id", "proficiency"))
    wanted_now = {language_id: item["proficiency"] for language_id, item in wanted.items()}
    if current == wanted_now:
        return
    PersonLanguage.objects.filter(person=person).exclude(language_id__in=wanted).delete()
    for language_id, item in wanted.items():
        PersonLanguage.objects.update_or_create(
            person=person, language_id=language_id, defaults={"proficiency": item["proficiency"]}
        )
    _touch(person)


def _touch(person: Person) -> None:
    """The person's skills and languages are part of the person the API serves: a partner
    syncing with `updated_since` must see the person as changed."""
    person.updated_at = timezone.now()
    Person.objects.filter(pk=person.pk).update(updated_at=person.updated_at)


@transaction.atomic
def organisation_update(
    *,
    actor: AnyUser,
    organisation: Organisation,
    data: dict[str, Any],
    m2m: dict[str, Any] | None = None,
) -> Organisation:
    """Edit a co-op's page (its admins, network admins) or its membership status (network
    admins). Partners subscribed to webhooks hear of it: that it changed, or that it left."""
    was_public, status_before = organisation.is_public, organisation.status
    if _organisation_apply(actor=actor, organisation=organisation, data=data, m2m=m2m):
        left = organisation.status == Organisation.Status.LEFT != status_before
        kind = ORGANISATION_LEFT if left else ORGANISATION_UPDATED
        events.emit(kind, organisation, was_public=was_public)
    return organisation


def _organisation_apply(
    *,
    actor: AnyUser,
    organisation: Organisation,
    data: dict[str, Any],
    m2m: dict[str, Any] | None = None,
) -> bool:
    """The edit itself; returns whether anything changed."""
    if not permissions.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    if (
        "kind" in data
        and data["kind"] != organisation.kind
        and not permissions.is_network_admin(actor)
    ):
        raise PermissionDenied(_("Only network admins change the kind of an organisation."))
    if "status" in data and data["status"] != organisation.status:
        if not permissions.is_network_admin(actor):
            raise PermissionDenied(_("Only network admins change membership status."))
        data = {**data, "status_changed_at": timezone.now()}
        if data["status"] == Organisation.Status.MEMBER and not organisation.joined_on:
            data["joined_on"] = network_today()
        if data["status"] == Organisation.Status.LEFT:
            data["left_on"] = network_today()
    changes = _changed(organisation, data)
    for name, (_before, after) in changes.items():
        setattr(organisation, name, after)
    if changes:
        organisation.full_clean()
        organisation.save(update_fields=[*changes, "updated_at"])
    m2m_changed = False
    for name, values in (m2m or {}).items():
        related = getattr(organisation, name)
        if {item.pk for item in related.all()} != {item.pk for item in values}:
            related.set(values)
            m2m_changed = True
    if m2m_changed and not changes:
        # The sectors, languages and federations are part of the organisation the API serves.
        organisation.updated_at = timezone.now()
        Organisation.objects.filter(pk=organisation.pk).update(updated_at=organisation.updated_at)
    audited = {k: v for k, v in changes.items() if k in ORGANISATION_AUDITED_FIELDS}
    if audited:
        audit_record(
            actor=actor,
            action="organisation.status",
            target=organisation,
            before={k: str(v[0]) for k, v in audited.items()},
            after={k: str(v[1]) for k, v in audited.items()},
        )
    if changes or m2m:
        refresh_search_vectors(organisation_ids=[organisation.pk])
    return bool(changes) or m2m_changed


@transaction.atomic
def organisation_create(
    *,
    actor: AnyUser,
    name: str,
    kind: str,
    country: str,
    short_description: str,
    data: dict[str, Any] | None = None,
    m2m: dict[str, Any] | None = None,
) -> Organisation:
    """A network admin adds an organisation; it starts as an applicant unless `data` says
    otherwise. `data` and `m2m` are the rest of its page, as organisation_update takes them."""
    if not permissions.is_network_admin(actor):
        raise PermissionDenied
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        country=country,
        short_description=short_description.strip(),
        slug=unique_slug(name),
    )
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.create",
        target=organisation,
        after={"kind": kind, "status": organisation.status},
    )
    if data or m2m:
        _organisation_apply(actor=actor, organisation=organisation, data=data or {}, m2m=m2m)
    events.emit(ORGANISATION_CREATED, organisation)
    return organisation


@transaction.atomic
def organisation_add_with_first_admin(
    *,
    actor: AnyUser,
    name: str,
    kind: str,
    country: str,
    short_description: str,
    email: str,
    display_name: str = "",
) -> tuple[Organisation, Invitation]:
    """A network admin adds a co-op (an applicant) and invites its first admin, both or neither:
    a refused invitation (someone already has an account with that email) adds no co-op."""
    organisation = organisation_create(
        actor=actor,
        name=name,
        kind=kind,
        country=country,
        short_description=short_description,
    )
    invitation = invitation_create(
        actor=actor,
        organisation=organisation,
        email=email,
        display_name=display_name,
        as_coop_admin=True,
    )
    return organisation, invitation


def unique_slug(name: str) -> str:
    base = slugify(name)[:170] or "coop"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def invitation_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    email: str,
    display_name: str = "",
    as_coop_admin: bool = False,
) -> Invitation:
    """Invite someone into a co-op. Co-op admins invite their own people; a network admin may
    invite anyone, including a new co-op's first admin. The email goes out after commit."""
    if not permissions.can_invite_to(actor, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Someone with this email address already has an account.")}
        )
    pending = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError({"email": _("This person already has a pending invitation.")})
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        display_name=display_name.strip(),
        as_coop_admin=as_coop_admin,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.plain_token = token
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        after={"email": email, "organisation": organisation.slug, "as_coop_admin": as_coop_admin},
    )
    # The plain token travels with the task to the email: the outbox row drops it once relayed.
    outbox.enqueue(send_invitation, invitation.pk, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: AnyUser, invitation: Invitation) -> Invitation:
    if not permissions.can_invite_to(actor, invitation.organisation):
        raise PermissionDenied
    if Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now()):
        invitation.refresh_from_db()
        audit_record(actor=actor, action="invitation.revoke", target=invitation)
    return invitation


@transaction.atomic
def invitation_for_person(*, invited_by: User, person: Person) -> Invitation:
    """A join link for someone the co-op lists who has no account yet, for an app above members
    that has checked its own permission (a team's manager inviting them to a seat). It sends no
    email: the caller's own email carries the link. A usable one is reused."""
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": person})
    pending = person.join_invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if pending is not None:
        return pending
    email = person.contact_email.strip().lower()
    if not email:
        raise ValidationError(
            _("%(name)s has no email address to send a join link to.") % {"name": person}
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("Someone else has an account with %(name)s's email address.") % {"name": person}
        )
    invitation = Invitation.objects.create(
        organisation=person.organisation,
        person=person,
        email=email,
        display_name=person.display_name,
        # The caller's email carries the signed link (get_absolute_url); this token is unused.
        token_hash=Invitation.hash_token(Invitation.new_token()),
        invited_by=invited_by,
        language=person.language or settings.LANGUAGE_CODE,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit_record(
        actor=invited_by,
        action="invitation.create",
        target=invitation,
        after={"email": email, "organisation": person.organisation.slug, "person": person.pk},
    )
    return invitation


class InvitationUnusable(Exception):
    pass


class InvitationForSomeoneElse(InvitationUnusable):
    """A join link for a listed person, used to sign up with another email address."""


@transaction.atomic
def invitation_accept(*, token: str, user: User, display_name: str = "") -> Person:
    """Claim the invitation for `user` and make them a person of the co-op.

    The claim is one conditional UPDATE: two tabs racing on the same link cannot both win.
    """
    now = timezone.now()
    claimed = (
        _invitation_by_token(token)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
        .update(accepted_at=now, accepted_by=user)
    )
    if claimed != 1:
        raise InvitationUnusable()
    invitation = _invitation_by_token(token).select_related("organisation").get()
    if invitation.person_id is not None:
        person = _claim_listed_person(invitation, invitation.person_id, user)
    else:
        person = Person.objects.create(
            user=user,
            organisation=invitation.organisation,
            display_name=display_name or invitation.display_name or user.email.split("@")[0],
            is_coop_admin=invitation.as_coop_admin,
            contact_email=user.email,
        )
    hooks.invitation_accepted(invitation, person)
    audit_record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        after={"person": person.pk, "as_coop_admin": invitation.as_coop_admin},
    )
    refresh_search_vectors(person_ids=[person.pk])
    return person


def _claim_listed_person(invitation: Invitation, person_id: int, user: User) -> Person:
    """The invited person gets the account: the same person, with their skills and history."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if user.email.strip().lower() != invitation.email.lower():
        raise InvitationForSomeoneElse(invitation.pk)
    if person.user_id is not None:
        raise InvitationUnusable(invitation.pk)
    person.user = user
    fields = ["user", "updated_at"]
    if invitation.as_coop_admin and not person.is_coop_admin:
        person.is_coop_admin = True
        fields.append("is_coop_admin")
    person.save(update_fields=fields)
    return person


def _invitation_by_token(token: str) -> QuerySet[Invitation]:
    """The invitation a link's token names: a plain token by its hash, or a signed link
    (`Invitation.get_absolute_url`) by the id it carries."""
    if ":" in token:
        pk = Invitation.id_from_signed_link(token)
        return Invitation.objects.filter(pk=pk) if pk is not None else Invitation.objects.none()
    return Invitation.objects.filter(token_hash=Invitation.hash_token(token))


def invitation_find_usable(token: str) -> Invitation | None:
    invitation = _invitation_by_token(token).select_related("organisation").first()
    return invitation if invitation is not None and invitation.is_usable else None


@transaction.atomic
def organisation_delete(*, actor: AnyUser, organisation: Organisation) -> None:
    """Remove an organisation entered by mistake. One with people is marked `left` instead."""
    if not permissions.is_network_admin(actor):
        raise PermissionDenied
    if organisation.people.exists():
        raise ValidationError(
            _("This co-op has people. Set its membership status to “left” instead of deleting it.")
        )
    audit_record(actor=actor, action="organisation.delete", target=organisation)
    organisation.delete()


@transaction.atomic
def person_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    data: dict[str, Any],
    skills: list[dict[str, Any]] | None = None,
    languages: list[dict[str, Any]] | None = None,
) -> Person:
    """A co-op admin lists one of their people who has no account (yet), with their skills and
    languages: all of it or nothing."""
    if not permissions.can_invite_to(actor, organisation):
        raise PermissionDenied
    person = Person(organisation=organisation, **data)
    person.full_clean(exclude=["user"])
    person.save()
    if skills is not None:
        _skills_replace(person, skills)
    if languages is not None:
        _languages_replace(person, languages)
    audit_record(
        actor=actor,
        action="person.create",
        target=person,
        after={"organisation": organisation.slug},
    )
    refresh_search_vectors(person_ids=[person.pk])
    return person


@transaction.atomic
def skill_save(*, actor: AnyUser, skill: Skill | None, data: dict[str, Any]) -> Skill:
    if not permissions.is_network_admin(actor):
        raise PermissionDenied
    creating = skill is None
    skill = skill or Skill()
    for name, value in data.items():
        setattr(skill, name, value)  # `name`: in the caller's language (modeltranslation)
    english = vocabulary.column("name", vocabulary.ENGLISH)
    if not getattr(skill, english):
        # Every other language falls back to English: a skill is never without it.
        setattr(skill, english, skill.name)
    if not skill.slug:
        skill.slug = slugify(getattr(skill, english))
    skill.full_clean()
    skill.save()
    audit_record(
        actor=actor,
        action="skill.create" if creating else "skill.update",
        target=skill,
        after={"name": skill.name},
    )
    return skill


@transaction.atomic
def skill_delete(*, actor: AnyUser, skill: Skill) -> None:
    if not permissions.is_network_admin(actor):
        raise PermissionDenied
    if skill.person_skills.exists():
        raise ValidationError(_("People list this skill; merge it into another one instead."))
    audit_record(actor=actor, action="skill.delete", target=skill)
    skill.delete()


# email preferences ------------------------------------------------------------------------------
@transaction.atomic
def email_preferences_update(*, actor: AnyUser, person: Person, choices: dict[str, str]) -> Person:
    """Save how a person gets each kind of event email (patio.emails): a value of Person.Notify
    per kind. Kinds left out keep their choice."""
    unknown = sorted(set(choices) - {kind.key for kind in emails.kinds()})
    if unknown:
        raise ValidationError(
            _("Unknown kind of email: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    wrong = sorted(kind for kind, choice in choices.items() if choice not in Person.Notify.values)
    if wrong:
        raise ValidationError(
            _("Choose how to get these emails: %(kinds)s.") % {"kinds": ", ".join(wrong)}
        )
    merged = {**(person.email_choices or {}), **choices}
    # Immediately is what a kind not listed gets: stored only where people chose otherwise.
    kept = {kind: choice for kind, choice in merged.items() if choice != Person.Notify.IMMEDIATELY}
    return person_update(
        actor=actor, person=person, data={"email_choices": dict(sorted(kept.items()))}
    )


@transaction.atomic
def email_unsubscribe(*, token: str) -> tuple[Person, str]:
    """Set one kind of email to "never" for the person a signed unsubscribe link names.

    No login: the token is the proof. Repeating it changes nothing. Raises BadSignature for a
    forged or damaged token, or one whose person is gone."""
    person_id, kind = emails.read_unsubscribe_token(token)
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise signing.BadSignature("the person is gone")
    if not person.wants_email(kind):
        return person, kind
    before = {"email_choices": dict(person.email_choices or {})}
    person.email_choices = dict(
        sorted({**before["email_choices"], kind: Person.Notify.NEVER}.items())
    )
    person.save(update_fields=["email_choices", "updated_at"])
    audit_record(
        actor=None,
        action="person.email_unsubscribe",
        target=person,
        before=before,
        after={"kind": kind},
    )
    return person, kind


def person_timezone_from_browser(*, person: Person, zone_name: str) -> None:
    """A new account starts in the timezone the person's browser reports, not in UTC.

    Called when the account is created; the person changes it on their profile afterwards. A
    person their co-op already listed with a zone (joining through a team seat's link) keeps it:
    matching has read it, and their co-op knew it."""
    if person.timezone != "UTC":
        return
    if zone_name and zone_name in timezone_names() and person.timezone != zone_name:
        person.timezone = zone_name
        person.save(update_fields=["timezone", "updated_at"])
