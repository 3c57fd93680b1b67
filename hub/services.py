"""Every write to the knowledge hub: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from circles.models import Circle
from hub import permissions
from hub.models import (
    Guide,
    GuideDone,
    GuideTranslation,
    LearningPath,
    PathStep,
    Tag,
    reading_minutes,
)
from hub.search import refresh_guide_vectors
from members.models import Person
from members.permissions import person_of
from patio.i18n import language_name

if TYPE_CHECKING:
    from accounts.models import AnyUser

MAX_TAGS = 8
MAX_STEPS = 12
# The words of the original that, when they change, make its translations older than it.
TRANSLATED_FIELDS = ("title", "summary", "body")
EDITABLE_FIELDS = (*TRANSLATED_FIELDS, "category", "language", "reviewer_circle")


def _actor_person(actor: AnyUser | None) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the network."))
    return person


def _unique_slug(model: type[Guide] | type[LearningPath], title: str) -> str:
    base = slugify(title)[:170] or "guide"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def tags_named(names: Iterable[str]) -> list[Tag]:
    """The tags of these names, made when new (the same slug is the same tag)."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:60]
        if name and slugify(name) and slugify(name) not in wanted:
            wanted[slugify(name)] = name
    if len(wanted) > MAX_TAGS:
        raise ValidationError({"tags": _("A guide takes at most %(n)d tags.") % {"n": MAX_TAGS}})
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    for slug, name in wanted.items():
        if slug not in existing:
            existing[slug], _made = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
    return [existing[slug] for slug in wanted]


def _check_reviewer(circle: Circle | None) -> None:
    if circle is None or circle.status != Circle.Status.ACTIVE:
        raise ValidationError(
            {"reviewer_circle": _("Choose an active circle to review the guide.")}
        )


def _check_text(guide: Guide) -> None:
    guide.full_clean(
        exclude=["slug", "authors", "tags", "search_vector"],
        validate_unique=False,
        validate_constraints=False,
    )


# Guides -----------------------------------------------------------------------------------------
@transaction.atomic
def guide_create(
    *,
    actor: AnyUser,
    title: str,
    summary: str,
    body: str,
    category: str,
    reviewer_circle: Circle,
    language: str = "en",
    tags: Sequence[str] = (),
) -> Guide:
    """A person of the network starts a guide: a draft only they (and network admins) see."""
    if not permissions.can_create_guide(actor):
        raise PermissionDenied
    author = _actor_person(actor)
    _check_reviewer(reviewer_circle)
    guide = Guide(
        title=title.strip(),
        slug=_unique_slug(Guide, title),
        summary=summary.strip(),
        body=body,
        category=category,
        language=language,
        reviewer_circle=reviewer_circle,
        reading_minutes=reading_minutes(body),
    )
    _check_text(guide)
    guide.save()
    guide.authors.add(author)
    guide.tags.set(tags_named(tags))
    refresh_guide_vectors([guide.pk])
    audit_record(
        actor=actor,
        action="hub.guide_create",
        target=guide,
        after={"title": guide.title, "language": language, "category": category},
    )
    return guide


def _locked(guide: Guide) -> Guide:
    return (
        Guide.objects.select_for_update(of=("self",))
        .select_related("reviewer_circle")
        .prefetch_related("authors")
        .get(pk=guide.pk)
    )


@transaction.atomic
def guide_update(
    *, actor: AnyUser, guide: Guide, tags: Sequence[str] | None = None, **changes: Any
) -> Guide:
    """Authors change their draft (network admins any guide). A change to the title, summary
    or text is a new revision: translations made before it are then older than the original."""
    guide = _locked(guide)
    if not permissions.can_edit_guide(actor, guide):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "reviewer_circle" in changes:
        _check_reviewer(changes["reviewer_circle"])
    before = {name: str(getattr(guide, name)) for name in changes}
    changed = [name for name, value in changes.items() if getattr(guide, name) != value]
    for name in changed:
        setattr(guide, name, changes[name])
    if any(name in TRANSLATED_FIELDS for name in changed):
        guide.revision += 1
        changed.append("revision")
    if "body" in changed:
        guide.reading_minutes = reading_minutes(guide.body)
        changed.append("reading_minutes")
    _check_text(guide)
    tags_changed = False
    if tags is not None:
        new_tags = tags_named(tags)
        if {t.pk for t in new_tags} != {t.pk for t in guide.tags.all()}:
            guide.tags.set(new_tags)
            tags_changed = True
    if not changed and not tags_changed:
        return guide
    guide.save(update_fields=[*changed, "updated_at"])
    refresh_guide_vectors([guide.pk])
    audit_record(
        actor=actor,
        action="hub.guide_update",
        target=guide,
        before={name: before[name] for name in changed if name in before},
        after={name: str(getattr(guide, name)) for name in changed}
        | ({"tags": [t.name for t in guide.tags.all()]} if tags_changed else {}),
    )
    return guide


def _move(guide: Guide, to: str, **fields: Any) -> None:
    """One conditional UPDATE: of two people moving the same guide at once, one wins and the
    other is told it had moved."""
    moved = Guide.objects.filter(pk=guide.pk, status=guide.status).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if moved != 1:
        raise ValidationError(_("This guide has just been moved by someone else."))
    guide.status = to
    for name, value in fields.items():
        setattr(guide, name, value)


@transaction.atomic
def guide_submit(*, actor: AnyUser, guide: Guide) -> Guide:
    """The authors send their draft to the reviewing circle."""
    guide = _locked(guide)
    if not permissions.can_submit(actor, guide):
        raise PermissionDenied
    _check_reviewer(guide.reviewer_circle)
    _move(guide, Guide.Status.IN_REVIEW, submitted_at=timezone.now())
    audit_record(
        actor=actor,
        action="hub.guide_submit",
        target=guide,
        before={"status": Guide.Status.DRAFT},
        after={"status": guide.status, "reviewer_circle": guide.reviewer_circle.slug},
    )
    return guide


@transaction.atomic
def guide_publish(*, actor: AnyUser, guide: Guide) -> Guide:
    """A member of the reviewing circle (not an author) publishes the guide, with its
    translations: from now on everyone reads it."""
    guide = _locked(guide)
    if not permissions.can_review(actor, guide):
        raise PermissionDenied
    now = timezone.now()
    _move(
        guide,
        Guide.Status.PUBLISHED,
        published_at=guide.published_at or now,
        reviewed_by=person_of(actor),
        review_comment="",
    )
    audit_record(
        actor=actor,
        action="hub.guide_publish",
        target=guide,
        before={"status": Guide.Status.IN_REVIEW},
        after={"status": guide.status},
    )
    return guide


@transaction.atomic
def guide_send_back(*, actor: AnyUser, guide: Guide, comment: str) -> Guide:
    """A reviewer sends the guide back to its authors, saying what to change: a draft again."""
    guide = _locked(guide)
    if not permissions.can_review(actor, guide):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the authors should change.")})
    if len(comment) > 5000:
        raise ValidationError({"comment": _("Keep the comment under 5,000 characters.")})
    _move(guide, Guide.Status.DRAFT, review_comment=comment, reviewed_by=person_of(actor))
    audit_record(
        actor=actor,
        action="hub.guide_send_back",
        target=guide,
        before={"status": Guide.Status.IN_REVIEW},
        after={"status": guide.status, "comment": comment},
    )
    return guide


@transaction.atomic
def guide_withdraw(*, actor: AnyUser, guide: Guide) -> Guide:
    """Authors (or a network admin) take a published guide back to a draft to revise it; it is
    reviewed again before it is public again."""
    guide = _locked(guide)
    if not permissions.can_withdraw(actor, guide):
        raise PermissionDenied
    _move(guide, Guide.Status.DRAFT, review_comment="")
    audit_record(
        actor=actor,
        action="hub.guide_withdraw",
        target=guide,
        before={"status": Guide.Status.PUBLISHED},
        after={"status": guide.status},
    )
    return guide


# Translations -----------------------------------------------------------------------------------
def _already_translated(language: str) -> ValidationError:
    return ValidationError(
        {
            "language": _(
                "This guide has a translation into %(language)s already: update that one."
            )
            % {"language": language_name(language)}
        }
    )


def _check_translation(translation: GuideTranslation) -> None:
    if translation.language == translation.guide.language:
        raise ValidationError(
            {"language": _("The guide is written in this language: choose another one.")}
        )
    translation.full_clean(
        exclude=["guide", "translator"], validate_unique=False, validate_constraints=False
    )


@transaction.atomic
def translation_add(
    *, actor: AnyUser, guide: Guide, language: str, title: str, text: str, summary: str = ""
) -> GuideTranslation:
    """The guide in another language, made from its current revision."""
    guide = _locked(guide)
    if not permissions.can_translate(actor, guide):
        raise PermissionDenied
    translation = GuideTranslation(
        guide=guide,
        language=language,
        title=title.strip(),
        summary=summary.strip(),
        text=text,
        source_revision=guide.revision,
        translator=_actor_person(actor),
    )
    _check_translation(translation)
    try:
        with transaction.atomic():  # a savepoint: someone else added it just now
            translation.save()
    except IntegrityError:
        raise _already_translated(language) from None
    Guide.objects.filter(pk=guide.pk).update(updated_at=timezone.now())
    refresh_guide_vectors([guide.pk])
    audit_record(
        actor=actor,
        action="hub.translation_add",
        target=translation,
        after={"language": language, "source_revision": guide.revision},
    )
    return translation


@transaction.atomic
def translation_update(
    *, actor: AnyUser, translation: GuideTranslation, title: str, text: str, summary: str = ""
) -> GuideTranslation:
    """Correct a translation, or bring it up to the original's current revision: it is then
    made from that revision, by the person who updated it."""
    guide = _locked(translation.guide)
    translation = GuideTranslation.objects.select_for_update().get(pk=translation.pk)
    translation.guide = guide
    if not permissions.can_translate(actor, guide):
        raise PermissionDenied
    before = {"source_revision": translation.source_revision}
    translation.title, translation.summary, translation.text = title.strip(), summary.strip(), text
    translation.source_revision = guide.revision
    translation.translator = _actor_person(actor)
    _check_translation(translation)
    translation.save(
        update_fields=["title", "summary", "text", "source_revision", "translator", "updated_at"]
    )
    Guide.objects.filter(pk=guide.pk).update(updated_at=timezone.now())
    refresh_guide_vectors([guide.pk])
    audit_record(
        actor=actor,
        action="hub.translation_update",
        target=translation,
        before=before,
        after={"source_revision": guide.revision},
    )
    return translation


# Reading ----------------------------------------------------------------------------------------
@transaction.atomic
def guide_mark_done(*, actor: AnyUser, guide: Guide, done: bool = True) -> bool:
    """A person marks a published guide done (or not done any more); it counts in every
    learning path that holds it. Marking twice changes nothing. Returns whether anything
    changed."""
    guide = Guide.objects.get(pk=guide.pk)  # its status now, not when the page read it
    if not permissions.can_mark_done(actor, guide):
        raise PermissionDenied
    person = _actor_person(actor)
    if done:
        _row, changed = GuideDone.objects.get_or_create(person=person, guide=guide)
    else:
        deleted, _rows = GuideDone.objects.filter(person=person, guide=guide).delete()
        changed = deleted > 0
    if changed:
        audit_record(
            actor=actor,
            action="hub.guide_done" if done else "hub.guide_undone",
            target=guide,
            after={"done": done, "person": person.pk},
        )
    return changed


# Learning paths ---------------------------------------------------------------------------------
def _check_steps(guides: Sequence[Guide]) -> None:
    if not guides:
        raise ValidationError({"guides": _("A path needs at least one guide.")})
    if len(guides) > MAX_STEPS:
        raise ValidationError(
            {"guides": _("A path holds at most %(n)d guides.") % {"n": MAX_STEPS}}
        )
    if len({g.pk for g in guides}) != len(guides):
        raise ValidationError({"guides": _("Each guide comes once in a path.")})
    published = Guide.objects.filter(pk__in=[g.pk for g in guides], status=Guide.Status.PUBLISHED)
    if published.count() != len(guides):
        raise ValidationError({"guides": _("A path is made of published guides.")})


def _set_suggested(path: LearningPath) -> None:
    """One path at most is suggested to newcomers: choosing one unchooses the other."""
    LearningPath.objects.filter(suggested_to_newcomers=True).exclude(pk=path.pk).update(
        suggested_to_newcomers=False
    )


@transaction.atomic
def path_create(
    *,
    actor: AnyUser,
    title: str,
    guides: Sequence[Guide],
    description: str = "",
    suggested_to_newcomers: bool = False,
) -> LearningPath:
    if not permissions.can_manage_paths(actor):
        raise PermissionDenied
    _check_steps(guides)
    path = LearningPath(
        title=title.strip(),
        slug=_unique_slug(LearningPath, title),
        description=description.strip(),
        suggested_to_newcomers=suggested_to_newcomers,
        created_by=person_of(actor),
    )
    path.full_clean(
        exclude=["slug", "created_by"], validate_unique=False, validate_constraints=False
    )
    if suggested_to_newcomers:
        _set_suggested(path)
    path.save()
    PathStep.objects.bulk_create(
        PathStep(path=path, guide=guide, position=n) for n, guide in enumerate(guides, 1)
    )
    audit_record(
        actor=actor,
        action="hub.path_create",
        target=path,
        after={"title": path.title, "guides": [g.slug for g in guides]},
    )
    return path


@transaction.atomic
def path_update(
    *,
    actor: AnyUser,
    path: LearningPath,
    title: str,
    guides: Sequence[Guide],
    description: str = "",
    suggested_to_newcomers: bool = False,
) -> LearningPath:
    """Rename a path, reorder its guides, add or drop some; done marks stay with the people."""
    if not permissions.can_manage_paths(actor):
        raise PermissionDenied
    path = LearningPath.objects.select_for_update().get(pk=path.pk)
    _check_steps(guides)
    before = {
        "title": path.title,
        "guides": list(path.steps.order_by("position").values_list("guide__slug", flat=True)),
    }
    path.title, path.description = title.strip(), description.strip()
    path.suggested_to_newcomers = suggested_to_newcomers
    path.full_clean(
        exclude=["slug", "created_by"], validate_unique=False, validate_constraints=False
    )
    if suggested_to_newcomers:
        _set_suggested(path)
    path.save(update_fields=["title", "description", "suggested_to_newcomers", "updated_at"])
    path.steps.all().delete()
    PathStep.objects.bulk_create(
        PathStep(path=path, guide=guide, position=n) for n, guide in enumerate(guides, 1)
    )
    audit_record(
        actor=actor,
        action="hub.path_update",
        target=path,
        before=before,
        after={"title": path.title, "guides": [g.slug for g in guides]},
    )
    return path
