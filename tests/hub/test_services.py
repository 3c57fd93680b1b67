"""The hub's writes: the review workflow, translations, reading time, done marks and paths,
through the services every page and the API call."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from hub import selectors, services
from hub.models import Guide, GuideDone, LearningPath, reading_minutes
from tests.hub.conftest import write_guide

pytestmark = pytest.mark.django_db


def test_a_new_guide_is_a_draft_by_its_writer_with_tags_and_reading_time(member, draft):
    assert draft.status == Guide.Status.DRAFT
    assert list(draft.authors.all()) == [member]
    assert sorted(t.name for t in draft.tags.all()) == ["Free software", "accounting"]
    assert draft.reading_minutes == 1
    assert AuditEvent.objects.filter(action="hub.guide_create", object_id=str(draft.pk)).exists()


def test_reading_time_comes_from_the_words_not_from_the_writer():
    assert reading_minutes("word " * 200) == 1
    assert reading_minutes("word " * 201) == 2
    assert reading_minutes("") == 1


def test_a_longer_text_is_a_new_revision_with_a_longer_reading_time(member, draft):
    services.guide_update(actor=member.user, guide=draft, body="word " * 1000)
    draft.refresh_from_db()
    assert draft.revision == 2
    assert draft.reading_minutes == 5


def test_the_same_tag_typed_twice_is_one_tag(member, reviewing_circle):
    guide = write_guide(member, reviewing_circle, tags=["GDPR", "gdpr", " GDPR "])
    assert [t.name for t in guide.tags.all()] == ["GDPR"]


def test_review_sends_back_with_a_comment_then_publishes(member, reviewer, draft):
    services.guide_submit(actor=member.user, guide=draft)
    with pytest.raises(ValidationError):
        services.guide_send_back(actor=reviewer.user, guide=draft, comment="  ")
    services.guide_send_back(actor=reviewer.user, guide=draft, comment="Add an example.")
    draft.refresh_from_db()
    assert draft.status == Guide.Status.DRAFT
    assert draft.review_comment == "Add an example."
    assert draft.reviewed_by == reviewer

    services.guide_update(actor=member.user, guide=draft, body=draft.body + "\n\nAn example.")
    services.guide_submit(actor=member.user, guide=draft)
    services.guide_publish(actor=reviewer.user, guide=draft)
    draft.refresh_from_db()
    assert draft.status == Guide.Status.PUBLISHED
    assert draft.published_at is not None
    assert draft.review_comment == ""


def test_an_author_cannot_publish_their_own_guide_even_in_the_reviewing_circle(
    member, reviewing_circle, in_review
):
    from tests.circles.factories import CircleMembershipFactory

    CircleMembershipFactory(circle=reviewing_circle, person=member)
    with pytest.raises(PermissionDenied):
        services.guide_publish(actor=member.user, guide=in_review)


def test_a_stale_move_is_refused_and_changes_nothing(member, reviewer, in_review):
    stale = Guide.objects.get(pk=in_review.pk)
    services.guide_publish(actor=reviewer.user, guide=in_review)
    with pytest.raises(PermissionDenied):  # it is published now: nothing left to review
        services.guide_send_back(actor=reviewer.user, guide=stale, comment="Too late")
    assert Guide.objects.get(pk=in_review.pk).status == Guide.Status.PUBLISHED


def test_a_translation_is_one_per_language_and_never_the_originals(member, draft):
    made = services.translation_add(
        actor=member.user, guide=draft, language="es", title="Elegir", text="Texto."
    )
    assert made.source_revision == 1
    with pytest.raises(ValidationError) as caught:
        services.translation_add(
            actor=member.user, guide=draft, language="es", title="Otra", text="Otro."
        )
    assert "language" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.translation_add(
            actor=member.user, guide=draft, language="en", title="Same", text="Same."
        )


def test_a_translation_made_before_a_change_is_older_until_updated(member, draft):
    made = services.translation_add(
        actor=member.user, guide=draft, language="fr", title="Choisir", text="Texte."
    )
    services.guide_update(actor=member.user, guide=draft, title="Choosing accounting software")
    draft.refresh_from_db()
    made.refresh_from_db()
    assert made.is_older_than(draft)
    services.translation_update(
        actor=member.user, translation=made, title="Choisir un logiciel", text="Texte neuf."
    )
    made.refresh_from_db()
    assert not made.is_older_than(draft)


def test_a_guide_is_found_by_words_of_its_translation(member, reviewer, published):
    services.translation_add(
        actor=reviewer.user,
        guide=published,
        language="es",
        title="Decisiones por consentimiento",
        text="Una propuesta se aprueba cuando nadie tiene una objeción razonada.",
    )
    from hub.search import search_guides

    found = search_guides(Guide.objects.all(), "objeción")
    assert list(found) == [published]
    assert list(search_guides(Guide.objects.all(), "objecion")) == [published]  # accents fold


def test_marking_done_twice_is_one_mark_and_unmarking_removes_it(outsider, published):
    assert services.guide_mark_done(actor=outsider.user, guide=published) is True
    assert services.guide_mark_done(actor=outsider.user, guide=published) is False
    assert GuideDone.objects.filter(person=outsider).count() == 1
    services.guide_mark_done(actor=outsider.user, guide=published, done=False)
    assert not GuideDone.objects.filter(person=outsider).exists()


def test_a_draft_cannot_be_marked_done(outsider, member, draft):
    with pytest.raises(PermissionDenied):
        services.guide_mark_done(actor=member.user, guide=draft)


def test_a_path_shows_progress_and_only_one_is_suggested(
    network_admin, outsider, member, reviewer, reviewing_circle, published
):
    second = write_guide(member, reviewing_circle, title="Pricing inter-co-op work")
    services.guide_submit(actor=member.user, guide=second)
    services.guide_publish(actor=reviewer.user, guide=second)
    first = services.path_create(
        actor=network_admin,
        title="Start here",
        guides=[published, second],
        suggested_to_newcomers=True,
    )
    other = services.path_create(
        actor=network_admin, title="Other", guides=[second], suggested_to_newcomers=True
    )
    assert list(LearningPath.objects.filter(suggested_to_newcomers=True)) == [other]
    services.guide_mark_done(actor=outsider.user, guide=second)
    path = selectors.path_list(outsider.user).get(pk=first.pk)
    progress = selectors.progress(path, selectors.done_guide_ids(outsider.user))
    assert (progress.done, progress.total, progress.percent) == (1, 2, 50)


def test_a_path_takes_published_guides_only(network_admin, draft):
    with pytest.raises(ValidationError):
        services.path_create(actor=network_admin, title="Drafts", guides=[draft])
