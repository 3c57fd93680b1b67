"""Every write to policies that matters: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assemblies.hooks import AgendaProposal
from assemblies.models import AgendaItem, Assembly, Decision
from audit.services import audit_record
from circles.models import Circle, CircleMembership
from members.models import Person
from members.permissions import is_network_admin, person_of
from patio import delivery
from patio.dates import network_date, network_today
from patio.i18n import language_name
from policies import permissions
from policies.emails import REMINDERS
from policies.models import (
    Amendment,
    AmendmentComment,
    AmendmentTransition,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyReminder,
    PolicyTranslation,
    PolicyVersion,
)
from webhooks import events

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import AnyUser

AGENDA_SOURCE = "policies"
# The webhook event of policies (registered in policies.apps).
VERSION_ADOPTED = "policy.version_adopted"
DEFAULT_ROUND_DAYS = 7
REMIND_BEFORE_CLOSE = timedelta(days=2)


def review_lead() -> timedelta:
    """How long before a policy's review date its owners are reminded."""
    return timedelta(days=getattr(settings, "POLICY_REVIEW_REMINDER_DAYS", 14))


def _actor_person(actor: AnyUser) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the network."))
    return person


def agenda_key(amendment: Amendment) -> str:
    return f"amendment-{amendment.pk}"


# Policies ---------------------------------------------------------------------------------------
@transaction.atomic
def policy_create(
    *,
    actor: AnyUser | None,
    title: str,
    category: str,
    text: str,
    slug: str = "",
    circle: Circle | None = None,
    visibility: str = Policy.Visibility.MEMBERS,
    review_date: date | None = None,
    summary: str = "",
    effective_date: date | None = None,
    language: str = "en",
) -> Policy:
    """Record a policy with its founding text as version 1 (network admins). `language` is the
    language that text is written in: the original's."""
    if actor is not None and not is_network_admin(actor):
        raise PermissionDenied
    policy = Policy(
        title=title,
        slug=slug or _unique_slug(title),
        category=category,
        circle=circle,
        visibility=visibility,
        review_date=review_date,
        language=language,
    )
    policy.full_clean()
    policy.save()
    version = PolicyVersion(
        policy=policy,
        number=1,
        text=text,
        summary=summary or _("Founding text"),
        effective_date=effective_date or network_today(),
    )
    version.full_clean()
    version.save()
    audit_record(actor=actor, action="policy.create", target=policy)
    events.emit(VERSION_ADOPTED, policy, occasion=str(version.number))
    return policy


def _unique_slug(title: str) -> str:
    base = slugify(title)[:170] or "policy"
    slug, n = base, 1
    while Policy.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def current_version(policy: Policy) -> PolicyVersion | None:
    return policy.versions.order_by("-number").first()


# Translations -----------------------------------------------------------------------------------
def _translation_checked(translation: PolicyTranslation, *, adding: bool = False) -> None:
    """What the form and the API both refuse, each said next to its field, all at once."""
    translation.title = (translation.title or "").strip()
    translation.text = (translation.text or "").strip()
    policy = translation.policy
    errors: dict[str, list[str]] = {}
    if not translation.text:
        errors["text"] = [_("Write the translated text.")]
    if translation.language == policy.language:
        errors["language"] = [
            _("The original is written in %(language)s: a translation is into another language.")
            % {"language": language_name(policy.language)}
        ]
    elif (
        adding
        and PolicyTranslation.objects.filter(policy=policy, language=translation.language).exists()
    ):
        errors["language"] = _already_translated(translation.language).messages
    try:
        translation.full_clean(exclude=["policy", "source_version", "translator"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _touch(policy: Policy) -> None:
    # The translations are part of the policy the API serves, so the policy changes too.
    Policy.objects.filter(pk=policy.pk).update(updated_at=timezone.now())


@transaction.atomic
def translation_add(
    *, actor: AnyUser, policy: Policy, language: str, title: str, text: str
) -> PolicyTranslation:
    """A person of the network translates the policy's current version into another language.
    A translation is not a version: it adopts nothing, and the original is the text that
    binds."""
    if not permissions.can_translate(actor, policy):
        raise PermissionDenied
    current = current_version(policy)
    if current is None:
        raise ValidationError(_("This policy has no adopted text to translate yet."))
    translation = PolicyTranslation(
        policy=policy,
        language=language,
        title=title,
        text=text,
        source_version=current,
        translator=_actor_person(actor),
    )
    _translation_checked(translation, adding=True)
    try:
        with transaction.atomic():  # a savepoint: someone else added it just now
            translation.save()
    except IntegrityError:
        raise _already_translated(language) from None
    _touch(policy)
    audit_record(
        actor=actor,
        action="policy.translation_add",
        target=translation,
        after={"language": language, "source_version": current.number},
    )
    return translation


def _already_translated(language: str) -> ValidationError:
    return ValidationError(
        {
            "language": _(
                "This policy has a translation into %(language)s already: update that one."
            )
            % {"language": language_name(language)}
        }
    )


@transaction.atomic
def translation_update(
    *, actor: AnyUser, translation: PolicyTranslation, title: str, text: str
) -> PolicyTranslation:
    """Bring a translation up to the policy's current version (or correct it): its text is now
    made from that version, by the person who updated it."""
    translation = (
        PolicyTranslation.objects.select_for_update()
        .select_related("policy", "source_version")
        .get(pk=translation.pk)
    )
    if not permissions.can_translate(actor, translation.policy):
        raise PermissionDenied
    current = current_version(translation.policy)
    if current is None:  # versions are never deleted; a translation was made from one
        raise ValidationError(_("This policy has no adopted text to translate yet."))
    before = {"source_version": translation.source_version.number}
    unchanged = (
        title.strip() == translation.title
        and text.strip() == translation.text
        and translation.source_version_id == current.pk
    )
    if unchanged:
        raise ValidationError({"text": _("The translation is unchanged.")})
    translation.title, translation.text = title, text
    translation.source_version = current
    translation.translator = _actor_person(actor)
    _translation_checked(translation)
    translation.save(update_fields=["title", "text", "source_version", "translator", "updated_at"])
    _touch(translation.policy)
    audit_record(
        actor=actor,
        action="policy.translation_update",
        target=translation,
        before=before,
        after={"source_version": current.number},
    )
    return translation


# Amendments -------------------------------------------------------------------------------------
@transaction.atomic
def amendment_propose(
    *,
    actor: AnyUser,
    title: str,
    text: str,
    rationale: str,
    policy: Policy | None = None,
    new_policy_category: str = "",
) -> Amendment:
    """A member proposes a new text for a policy (or a new policy). It starts as a draft."""
    if not permissions.can_propose(actor):
        raise PermissionDenied
    if policy is not None and not permissions.can_view_policy(actor, policy):
        raise PermissionDenied
    if policy is None and not new_policy_category:
        raise ValidationError({"new_policy_category": _("Choose a category for the new policy.")})
    amendment = Amendment(
        policy=policy,
        base_version=current_version(policy) if policy else None,
        title=title,
        text=text,
        rationale=rationale,
        proposer=_actor_person(actor),
        new_policy_category="" if policy else new_policy_category,
    )
    amendment.full_clean()
    amendment.save()
    audit_record(actor=actor, action="policy.amendment_propose", target=amendment)
    return amendment


def _transition(
    amendment: Amendment, to: str, *, actor: AnyUser | None = None, decision: Decision | None = None
) -> Amendment:
    """Move the amendment with one conditional UPDATE: of two people moving it at once, exactly
    one succeeds and the other is told it has moved already."""
    before = amendment.status
    if not amendment.can_move_to(to):
        raise ValidationError({"status": _("The amendment cannot move to this status.")})
    moved = Amendment.objects.filter(pk=amendment.pk, status=before).update(
        status=to, updated_at=timezone.now()
    )
    if moved != 1:
        raise ValidationError(
            {"status": _("Someone else moved this amendment just now; reload the page.")}
        )
    amendment.status = to
    AmendmentTransition.objects.create(
        amendment=amendment,
        from_status=before,
        to_status=to,
        actor=person_of(actor) if actor is not None else None,
        decision=decision,
    )
    audit_record(
        actor=actor,
        action="policy.amendment_move",
        target=amendment,
        before={"status": before},
        after={"status": to},
    )
    return amendment


def open_round(amendment: Amendment) -> ConsentRound | None:
    return amendment.rounds.filter(closed_at__isnull=True).first()


def last_round(amendment: Amendment) -> ConsentRound | None:
    return amendment.rounds.order_by("-number").first()


def _start_round(amendment: Amendment, *, days: int, now: datetime) -> ConsentRound:
    top = amendment.rounds.aggregate(top=Max("number"))["top"] or 0
    round = ConsentRound(
        amendment=amendment,
        number=top + 1,
        revision=amendment.revision,
        opens_at=now,
        closes_at=now + timedelta(days=days),
        period_days=days,
    )
    round.full_clean()
    round.save()
    return round


@transaction.atomic
def amendment_move(
    *, actor: AnyUser, amendment: Amendment, status: str, days: int = DEFAULT_ROUND_DAYS
) -> Amendment:
    """Draft → feedback (comments open) → consent round (opens for `days`) → adopted / rejected;
    withdrawn from any open state."""
    if status == Amendment.Status.ADOPTED:
        return amendment_adopt(actor=actor, amendment=amendment)
    if status == Amendment.Status.REJECTED:
        return amendment_reject(actor=actor, amendment=amendment)
    if not amendment.can_move_to(status):
        raise ValidationError({"status": _("The amendment cannot move to this status.")})
    if not permissions.can_move(actor, amendment, status):
        raise PermissionDenied
    if status == Amendment.Status.CONSENT and not 1 <= days <= 60:
        raise ValidationError({"days": _("A round lasts between 1 and 60 days.")})
    _transition(amendment, status, actor=actor)
    now = timezone.now()
    if status == Amendment.Status.CONSENT:
        _start_round(amendment, days=days, now=now)
    elif status == Amendment.Status.WITHDRAWN:
        ConsentRound.objects.filter(amendment=amendment, closed_at__isnull=True).update(
            closed_at=now, outcome=ConsentRound.Outcome.CANCELLED
        )
    return amendment


@transaction.atomic
def amendment_revise(
    *,
    actor: AnyUser,
    amendment: Amendment,
    text: str,
    rationale: str | None = None,
    integrates: Iterable[int] = (),
) -> Amendment:
    """The proposer changes the text. During a consent round the change integrates objections:
    the round closes as "revised" and a new one opens on the new text, so everyone who had
    answered answers again."""
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if not permissions.can_revise(actor, amendment):
        raise PermissionDenied
    if text == amendment.text and (rationale is None or rationale == amendment.rationale):
        raise ValidationError({"text": _("The text is unchanged.")})
    round = open_round(amendment) if amendment.status == Amendment.Status.CONSENT else None
    if amendment.status == Amendment.Status.CONSENT and round is None:
        raise ValidationError(_("The consent round is over; the text can no longer change."))
    amendment.text = text
    if rationale is not None:
        amendment.rationale = rationale
    amendment.revision += 1
    amendment.full_clean()
    amendment.save(update_fields=["text", "rationale", "revision", "updated_at"])
    if round is not None:
        now = timezone.now()
        ids = set(integrates)
        objections = round.responses.filter(answer=ConsentResponse.Answer.OBJECTION, resolution="")
        if ids - set(objections.values_list("pk", flat=True)):
            raise ValidationError({"integrates": _("Only open objections of this round.")})
        objections.filter(pk__in=ids).update(
            resolution=ConsentResponse.Resolution.INTEGRATED, resolved_at=now
        )
        ConsentRound.objects.filter(pk=round.pk).update(
            closed_at=now, outcome=ConsentRound.Outcome.REVISED
        )
        _start_round(amendment, days=round.period_days, now=now)
    audit_record(
        actor=actor,
        action="policy.amendment_revise",
        target=amendment,
        after={"revision": amendment.revision, "integrated": sorted(integrates)},
    )
    return amendment


@transaction.atomic
def comment_add(*, actor: AnyUser, amendment: Amendment, body: str) -> AmendmentComment:
    if not permissions.can_comment(actor, amendment):
        raise PermissionDenied
    comment = AmendmentComment(amendment=amendment, author=_actor_person(actor), body=body)
    comment.full_clean()
    comment.save()
    return comment


# Consent rounds ---------------------------------------------------------------------------------
@transaction.atomic
def consent_respond(
    *, actor: AnyUser, round: ConsentRound, answer: str, reason: str = ""
) -> ConsentResponse:
    """Answer an open round: consent, concern (noted, does not block) or objection (with a
    reason). One answer per member and round; changing it replaces the earlier one."""
    round = ConsentRound.objects.select_for_update().select_related("amendment").get(pk=round.pk)
    if not permissions.can_respond(actor, round):
        raise PermissionDenied
    if round.closes_at <= timezone.now():
        raise ValidationError(_("This consent round is closed."))
    if answer not in ConsentResponse.Answer.values:
        raise ValidationError({"answer": _("Choose consent, concern or objection.")})
    reason = (reason or "").strip()
    if answer == ConsentResponse.Answer.OBJECTION and not reason:
        raise ValidationError({"reason": _("An objection needs a reason.")})
    response, _created = ConsentResponse.objects.update_or_create(
        round=round,
        person=_actor_person(actor),
        defaults={"answer": answer, "reason": reason, "resolution": "", "resolved_at": None},
    )
    return response


@transaction.atomic
def objection_withdraw(*, actor: AnyUser, response: ConsentResponse) -> ConsentResponse:
    response = (
        ConsentResponse.objects.select_related("round").select_for_update().get(pk=response.pk)
    )
    if not permissions.can_withdraw_objection(actor, response):
        raise PermissionDenied
    response.resolution = ConsentResponse.Resolution.WITHDRAWN
    response.resolved_at = timezone.now()
    response.save(update_fields=["resolution", "resolved_at", "updated_at"])
    return response


def open_objections(round: ConsentRound) -> QuerySet[ConsentResponse]:
    return round.responses.filter(answer=ConsentResponse.Answer.OBJECTION, resolution="")


@transaction.atomic
def rounds_close_due(*, now: datetime | None = None) -> list[int]:
    """Close every round whose time is up (beat). Each is closed by one conditional UPDATE, so
    two runs at once close it once. Returns the closed rounds' ids."""
    now = now or timezone.now()
    closed: list[int] = []
    due = ConsentRound.objects.filter(closed_at__isnull=True, closes_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        objecting = ConsentResponse.objects.filter(
            round_id=pk, answer=ConsentResponse.Answer.OBJECTION, resolution=""
        ).exists()
        outcome = ConsentRound.Outcome.OBJECTIONS if objecting else ConsentRound.Outcome.CONSENTED
        if ConsentRound.objects.filter(pk=pk, closed_at__isnull=True).update(
            closed_at=now, outcome=outcome
        ):
            # The round is part of the amendment the API serves.
            Amendment.objects.filter(rounds__pk=pk).update(updated_at=now)
            closed.append(pk)
    return closed


# Adoption ---------------------------------------------------------------------------------------
def _new_version(
    amendment: Amendment, *, decision: Decision | None, round: ConsentRound | None
) -> PolicyVersion:
    policy = amendment.policy
    if policy is None:
        policy = Policy.objects.create(
            title=amendment.title,
            slug=_unique_slug(amendment.title),
            category=amendment.new_policy_category,
        )
        Amendment.objects.filter(pk=amendment.pk).update(policy=policy, updated_at=timezone.now())
        amendment.policy = policy
    # The policy row is the lock for numbering its versions; the new version is part of the
    # policy the API serves, so the policy changes too.
    Policy.objects.select_for_update().filter(pk=policy.pk).first()
    Policy.objects.filter(pk=policy.pk).update(updated_at=timezone.now())
    top = policy.versions.aggregate(top=Max("number"))["top"] or 0
    return PolicyVersion.objects.create(
        policy=policy,
        number=top + 1,
        text=amendment.text,
        summary=amendment.title[:500],
        effective_date=network_today(),
        decision=decision,
        consent_round=round,
        amendment=amendment,
    )


@transaction.atomic
def amendment_adopt(
    *, actor: AnyUser | None, amendment: Amendment, decision: Decision | None = None
) -> Amendment:
    """Adopt the amendment: exactly one new PolicyVersion, linked to the consent round that ended
    without open objection, or to the assembly's decision. `actor` is None when an assembly's
    decision adopts it (the decision hook)."""
    amendment = Amendment.objects.select_related("policy").get(pk=amendment.pk)
    round = last_round(amendment)
    if decision is None:
        if amendment.status == Amendment.Status.ADOPTED:
            raise ValidationError({"status": _("This amendment is adopted already.")})
        if not amendment.can_move_to(Amendment.Status.ADOPTED):
            raise ValidationError({"status": _("The amendment cannot move to this status.")})
        if not permissions.can_move(actor, amendment, Amendment.Status.ADOPTED):
            raise PermissionDenied
        if round is None or round.outcome != ConsentRound.Outcome.CONSENTED:
            raise ValidationError(
                {"status": _("Only a round that ended without open objection can adopt it.")}
            )
    elif decision.outcome != Decision.Outcome.ADOPTED:
        raise ValidationError({"decision": _("This decision did not adopt the amendment.")})
    _transition(amendment, Amendment.Status.ADOPTED, actor=actor, decision=decision)
    version = _new_version(
        amendment, decision=decision, round=None if decision is not None else round
    )
    audit_record(
        actor=actor,
        action="policy.adopt",
        target=version,
        after={"number": version.number, "decision": decision.pk if decision else None},
    )
    events.emit(VERSION_ADOPTED, version.policy, occasion=str(version.number))
    return amendment


@transaction.atomic
def amendment_reject(
    *, actor: AnyUser | None, amendment: Amendment, decision: Decision | None = None
) -> Amendment:
    amendment = Amendment.objects.select_related("policy").get(pk=amendment.pk)
    if not amendment.can_move_to(Amendment.Status.REJECTED):
        raise ValidationError({"status": _("The amendment cannot move to this status.")})
    if decision is None and not permissions.can_move(actor, amendment, Amendment.Status.REJECTED):
        raise PermissionDenied
    if open_round(amendment) is not None:
        raise ValidationError({"status": _("Wait until the consent round closes.")})
    _transition(amendment, Amendment.Status.REJECTED, actor=actor, decision=decision)
    return amendment


# Assemblies: the agenda source and the decision listener ----------------------------------------
class _Escalation(TypedDict):
    last_outcome: str
    last_closed: datetime


def escalated_amendments() -> QuerySet[WithAnnotations[Amendment, _Escalation]]:
    """Amendments whose last consent round closed with objections and no assembly took them up."""
    latest = ConsentRound.objects.filter(amendment=OuterRef("pk")).order_by("-number")
    return (
        Amendment.objects.filter(status=Amendment.Status.CONSENT)
        .annotate(
            last_outcome=latest.values("outcome")[:1], last_closed=latest.values("closed_at")[:1]
        )
        .filter(last_outcome=ConsentRound.Outcome.OBJECTIONS)
    )


def unresolved_amendments(assembly: Assembly) -> list[AgendaProposal]:
    """Agenda source: each amendment whose objections were not resolved goes onto the agenda of
    the first assembly after its round closed, once (not onto any later one)."""
    if assembly.is_over:
        return []
    candidates = list(escalated_amendments().select_related("policy"))
    keys = {f"{AGENDA_SOURCE}:{agenda_key(a)}" for a in candidates}
    taken = set(AgendaItem.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
    proposals = []
    for amendment in candidates:
        if f"{AGENDA_SOURCE}:{agenda_key(amendment)}" in taken:
            continue
        first = (
            Assembly.objects.filter(
                status__in=[Assembly.Status.PLANNED, Assembly.Status.OPEN],
                start__gte=amendment.last_closed,
            )
            .order_by("start", "id")
            .first()
        )
        if first is None or first.pk != assembly.pk:
            continue
        # Stored on the agenda in the site's language, like the agenda's other generated titles.
        with translation.override(settings.LANGUAGE_CODE):
            proposals.append(
                AgendaProposal(
                    key=agenda_key(amendment),
                    kind=AgendaItem.Kind.DECISION,
                    title=_("Policy amendment: %(title)s") % {"title": amendment.title},
                    description=_(
                        "The consent round ended with objections. Adopt or reject: %(url)s"
                    )
                    % {"url": settings.SITE_URL + amendment.get_absolute_url()},
                    time_box_minutes=20,
                    proposer_id=amendment.proposer_id,
                )
            )
    return proposals


def on_decision_recorded(decision: Decision) -> None:
    """Decision listener: a decision on an agenda item that came from this source adopts or
    rejects the amendment (a deferred decision leaves it waiting)."""
    item = decision.agenda_item
    prefix = AGENDA_SOURCE + ":amendment-"
    if item is None or not item.source_key.startswith(prefix):
        return
    amendment = Amendment.objects.filter(pk=int(item.source_key[len(prefix) :])).first()
    if amendment is None or amendment.status != Amendment.Status.CONSENT:
        return
    if decision.outcome == Decision.Outcome.ADOPTED:
        amendment_adopt(actor=None, amendment=amendment, decision=decision)
    elif decision.outcome == Decision.Outcome.REJECTED:
        amendment_reject(actor=None, amendment=amendment, decision=decision)


# Reminders --------------------------------------------------------------------------------------
def _claim(rows: list[PolicyReminder]) -> None:
    PolicyReminder.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def reminders_dispatch(*, now: datetime | None = None) -> list[int]:
    """Claim the reminders due now; return the ids to send: those just claimed, plus the claims
    whose sending never started long after they were queued (their task message was lost).

    Members who have not answered an open round hear once, two days before it closes; owners of a
    policy hear once per review date, when it comes near. Re-queueing is harmless: sending takes
    each row once (patio.delivery)."""
    now = now or timezone.now()
    rows: list[PolicyReminder] = []
    rounds = ConsentRound.objects.filter(
        closed_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_BEFORE_CLOSE,
        amendment__status=Amendment.Status.CONSENT,
    )
    for round in rounds:
        people = (
            Person.objects.filter(participation=Person.Participation.ACTIVE, user__is_active=True)
            .exclude(consent_responses__round=round)
            .exclude(Exists(PolicyReminder.objects.filter(round=round, person=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        rows += [
            PolicyReminder(
                kind=PolicyReminder.Kind.ROUND_CLOSING, person_id=pk, round=round, queued_at=now
            )
            for pk in people
        ]
    today = network_date(now)
    policies = Policy.objects.filter(
        review_date__isnull=False,
        circle__isnull=False,
        review_date__lte=today + review_lead(),
        review_date__gte=today,
    )
    for policy in policies:
        if policy.circle_id is None:  # filtered out above
            continue
        owners = (
            CircleMembership.objects.current(today)
            .filter(circle_id=policy.circle_id, role=CircleMembership.Role.COORDINATOR)
            .filter(person__user__is_active=True)
            .values_list("person_id", flat=True)
        )
        rows += [
            PolicyReminder(
                kind=PolicyReminder.Kind.REVIEW_DUE,
                person_id=pk,
                policy=policy,
                review_date=policy.review_date,
                queued_at=now,
            )
            for pk in owners
        ]
    _claim(rows)
    # What this run claimed, and the claims queued long ago and never taken: their task message
    # was lost, so they are queued again.
    still_open = Q(round__closed_at__isnull=True) | Q(round__isnull=True)
    claimed = PolicyReminder.objects.filter(still_open, queued_at=now, attempted_at__isnull=True)
    lost = delivery.stale(REMINDERS, now=now, where=still_open)
    return sorted({*claimed.values_list("pk", flat=True), *lost})
