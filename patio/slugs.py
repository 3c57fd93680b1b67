"""Permanent addresses for objects known by a slug (co-ops, circles, policies).

The address of such an object is its slug (`/coops/camplight/`), which is what people read and
share. A slug may change (an admin renames it, the API sets another): the old one is then kept in
`FormerSlug`, and its address answers with a 301 to the current one, for as long as no other
object of the same kind takes the slug for itself. The model records the change as it saves the
row (`KeepsFormerSlugs`), so the admin, the API and the services all keep the old address the same
way; a queryset `update(slug=…)` writes past it and must not be used for slugs.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from patio.models import FormerSlug

M = TypeVar("M", bound=models.Model)


class KeepsFormerSlugs(models.Model):
    """A model whose `slug` changes keep the old slug as a former address."""

    class Meta:
        abstract = True

    # The slug the row had when it was read, or None for a row not yet saved.
    _loaded_slug: str | None = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        before = self._loaded_slug
        fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        slug: str = self.__dict__.get("slug", "")
        if fields is not None and "slug" not in fields:
            return
        if before and before != slug:
            slug_changed(self, before=before, after=slug)
        self._loaded_slug = slug

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Any:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_slug = instance.__dict__.get("slug")
        return instance


def slug_changed(instance: models.Model, *, before: str, after: str) -> None:
    """Keep `before` as a former address of `instance`; `after` is live again, so a former row
    naming it (the object renamed back) goes."""
    kind = ContentType.objects.get_for_model(instance)
    FormerSlug.objects.filter(content_type=kind, slug=after).delete()
    FormerSlug.objects.update_or_create(
        content_type=kind, slug=before, defaults={"object_id": instance.pk}
    )


def former_holder(queryset: QuerySet[M], slug: str) -> M | None:
    """The object of `queryset` (the ones the reader may open) that was known by `slug`."""
    kind = ContentType.objects.get_for_model(queryset.model)
    object_id = (
        FormerSlug.objects.filter(content_type=kind, slug=slug)
        .values_list("object_id", flat=True)
        .first()
    )
    if object_id is None:
        return None
    return queryset.filter(pk=object_id).first()
