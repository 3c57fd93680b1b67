"""The feedback endpoints of API v1 (mounted under /api/v1/ by patio/urls.py): the caller's own
requests for feedback, with every answer, read-only. Asking, answering and sharing are on the
pages for now."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from feedback import selectors
from feedback.models import FeedbackRequest
from feedback.serializers import FeedbackRequestOut
from patio.api import SignInRequired


@extend_schema_view(
    list=extend_schema(
        summary="List the caller's own requests for feedback",
        description="Newest first, each with everyone asked and their answers. Nobody else's "
        "requests are listed: answers are the asker's.",
    ),
    retrieve=extend_schema(summary="One of the caller's own requests for feedback"),
)
class FeedbackRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = FeedbackRequestOut
    permission_classes = [TokenScopePermission, SignInRequired]
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "closes_at", "id"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[FeedbackRequest]:
        return selectors.own_requests(self.request.user)


router = SimpleRouter(trailing_slash=True)
router.register("feedback", FeedbackRequestViewSet, basename="feedback-request")
urlpatterns = router.urls
