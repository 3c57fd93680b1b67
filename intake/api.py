"""The intake endpoints of API v1 (mounted under /api/v1/ by patio/urls.py).

Anyone may send a request for help (rate-limited per address); only triagers (coordinators of
a triage circle, network admins, their tokens) read requests and act on them."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from intake import permissions as intake_permissions
from intake import selectors, services
from intake.filters import HelpRequestFilter
from intake.serializers import (
    AnswerIn,
    ConvertIn,
    ConvertOut,
    DeclineIn,
    HelpRequestIn,
    HelpRequestOut,
    HelpRequestReceipt,
)
from intake.throttles import HelpRequestThrottle
from intake.views import opportunity_edit_url
from patio.api import ServiceCallMixin


class HelpRequestAccess(permissions.BasePermission):
    """Sending is public; everything else needs a triager (and a write token to act)."""

    message = _("Only the coordinators of a triage circle and network admins may do this.")

    def has_permission(self, request, view):
        if view.action == "create":
            return True
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 with the Bearer challenge
        if not TokenScopePermission().has_permission(request, view):
            self.message = TokenScopePermission.message
            return False
        return intake_permissions.can_triage(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List requests for help (triagers)",
        description="Newest first. Includes the requesters' personal data: only coordinators of "
        "a triage circle, network admins and their tokens may read it.",
    ),
    retrieve=extend_schema(summary="One request for help (triagers)"),
    create=extend_schema(
        summary="Ask the network for help (public)",
        description="No authentication needed. Rate-limited per client address (429 problem "
        "when over). The requester is acknowledged by email in the language of the request "
        "(Accept-Language).",
        request=HelpRequestIn,
        responses={201: HelpRequestReceipt},
    ),
)
class HelpRequestViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HelpRequestOut
    filterset_class = HelpRequestFilter
    permission_classes = [HelpRequestAccess]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    conflict_errors = (services.AlreadyHandled,)

    def get_queryset(self):
        return selectors.help_request_list(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            # Kept: create() spends the budget only once the request is accepted.
            self.help_request_throttle = HelpRequestThrottle()
            throttles.append(self.help_request_throttle)
        return throttles

    def create(self, request, *args, **kwargs):
        data = self.validated(HelpRequestIn)
        fields = data
        languages = fields.pop("preferred_languages", [])
        software = fields.pop("software", None)
        providers = fields.pop("providers", [])
        help_request = self.call(
            services.help_request_submit,
            data=fields,
            languages=languages,
            language=get_language(),
            software=software,
            providers=providers,
        )
        self.help_request_throttle.spend()
        return Response(HelpRequestReceipt(help_request).data, status=status.HTTP_201_CREATED)

    def _fresh(self, pk) -> Response:
        return Response(
            HelpRequestOut(self.get_queryset().get(pk=pk), context={"request": self.request}).data
        )

    @extend_schema(summary="Answer a request (emailed)", request=AnswerIn, responses=HelpRequestOut)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        help_request = self.get_object()
        data = self.validated(AnswerIn)
        self.call(
            services.help_request_answer,
            help_request=help_request,
            message=data["answer"],
        )
        return self._fresh(help_request.pk)

    @extend_schema(
        summary="Decline a request with a reason (emailed)",
        request=DeclineIn,
        responses=HelpRequestOut,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        help_request = self.get_object()
        data = self.validated(DeclineIn)
        self.call(
            services.help_request_decline,
            help_request=help_request,
            reason=data["decline_reason"],
        )
        return self._fresh(help_request.pk)

    @extend_schema(
        summary="Turn a request into a draft opportunity",
        description="`circle` is the slug of the triage circle that posts it.",
        request=ConvertIn,
        responses={201: ConvertOut},
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        help_request = self.get_object()
        data = self.validated(ConvertIn)
        opportunity = self.call(
            services.help_request_convert,
            help_request=help_request,
            circle=data["circle"],
        )
        body = {
            "help_request": self._fresh(help_request.pk).data,
            "opportunity": opportunity.pk,
            "opportunity_url": request.build_absolute_uri(opportunity_edit_url(opportunity)),
        }
        return Response(body, status=status.HTTP_201_CREATED)


router = SimpleRouter(trailing_slash=True)
router.register("help-requests", HelpRequestViewSet, basename="help-request")
urlpatterns = router.urls
