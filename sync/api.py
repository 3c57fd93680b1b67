"""The changes feed of API v1 (mounted under /api/v1/ by patio/urls.py): what was deleted, so a
partner that syncs the lists with `updated_since` also drops what is gone."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from patio.sync import UpdatedSinceFilter
from sync import selectors
from sync.filters import TombstoneFilter
from sync.selectors import tombstones_cutoff
from sync.serializers import TombstoneOut


class SinceFilter(UpdatedSinceFilter):
    """`?since=`: deletions at or after that instant, oldest first, and always in that order."""

    param = "since"
    always_ordered = True

    def _since(self, request: Request) -> datetime | None:
        since = super()._since(request)
        if since is not None and since < tombstones_cutoff():
            raise exceptions.ValidationError(
                {
                    self.param: [
                        ngettext(
                            "Deletions are kept for %(days)d day: fetch the lists again in "
                            "full, then follow the changes from then.",
                            "Deletions are kept for %(days)d days: fetch the lists again in "
                            "full, then follow the changes from then.",
                            settings.API_TOMBSTONE_RETENTION_DAYS,
                        )
                        % {"days": settings.API_TOMBSTONE_RETENTION_DAYS}
                    ]
                }
            )
        return since

    def description(self) -> str:
        return _(
            "Only deletions at or after this instant (ISO 8601 with a timezone, such as "
            "2026-12-01T09:30:00Z). Ask again with the last deleted_at you saw. Deletions are "
            "kept for a limited time (90 days unless configured): an older instant is a 400, "
            "and the lists must be fetched again in full."
        )


@extend_schema_view(
    list=extend_schema(
        summary="Deletions: what left the lists, oldest first",
        description="One entry per deleted object of any list the caller could see: public "
        "ones for everyone, members' for members, tokens for their owner. Use with "
        "`updated_since` on the lists to keep a copy in step.",
    ),
)
class ChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TombstoneOut
    filter_backends = [DjangoFilterBackend, SinceFilter]
    filterset_class = TombstoneFilter
    sync_field = "deleted_at"

    def get_queryset(self):
        return selectors.tombstones_visible_to(self.request.user)


router = SimpleRouter(trailing_slash=True)
router.register("changes", ChangeViewSet, basename="change")
urlpatterns = router.urls
