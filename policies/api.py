"""REST API v1 for policies (mounted under /api/v1/ by patio/urls.py). Same selectors,
permissions and services as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from patio.api import ServiceCallMixin
from patio.api_translations import LANGUAGE_PATH_PARAMETER, TranslationActions
from policies import permissions, selectors, services
from policies.models import ConsentRound
from policies.serializers import (
    AmendmentIn,
    AmendmentMoveIn,
    AmendmentOut,
    ConsentAnswerIn,
    ConsentAnswerOut,
    PolicyOut,
    PolicyTranslationIn,
    PolicyTranslationOut,
    PolicyTranslationUpdateIn,
)


@extend_schema_view(
    list=extend_schema(
        summary="List policies, with their versions and translations (public ones for visitors)"
    ),
    retrieve=extend_schema(summary="One policy, with its versions and translations"),
    translate=extend_schema(
        summary="Translate the policy's current version into another language (members). A "
        "translation is not a version: the original stays the text that binds",
        operation_id="policies_translations_create",
        request=PolicyTranslationIn,
        responses={201: PolicyTranslationOut},
    ),
    update_translation=extend_schema(
        summary="Update a translation: its text is then made from the current version (members)",
        operation_id="policies_translations_update",
        request=PolicyTranslationUpdateIn,
        responses=PolicyTranslationOut,
        parameters=[LANGUAGE_PATH_PARAMETER],
    ),
)
class PolicyViewSet(
    TranslationActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PolicyOut
    ordering_fields = ["id", "title"]
    ordering = ["id"]
    lookup_field = "slug"
    translated_as = "policy"
    translation_services = services
    translation_in = PolicyTranslationIn
    translation_update_in = PolicyTranslationUpdateIn
    translation_out = PolicyTranslationOut
    translation_missing = _lazy("This policy has no translation into that language.")

    def get_queryset(self):
        return selectors.with_versions(selectors.visible_policies(self.request.user))


@extend_schema_view(
    list=extend_schema(summary="List amendments (members)"),
    retrieve=extend_schema(summary="One amendment (members)"),
    create=extend_schema(summary="Propose an amendment or a new policy", request=AmendmentIn),
)
class AmendmentViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AmendmentOut
    ordering_fields = ["id", "updated_at"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "head", "options"]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not permissions.can_view_amendments(request.user):
            self.permission_denied(request)

    def get_queryset(self):
        return selectors.amendment_list(self.request.user).prefetch_related(
            Prefetch("rounds", queryset=ConsentRound.objects.order_by("-number"))
        )

    def _out(self, amendment, code=status.HTTP_200_OK) -> Response:
        return Response(AmendmentOut(self.get_queryset().get(pk=amendment.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        fields = self.validated(AmendmentIn)
        amendment = self.call(services.amendment_propose, **fields)
        return self._out(amendment, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move the amendment: feedback, consent (opens a round), adopted, rejected, "
        "withdrawn",
        request=AmendmentMoveIn,
        responses=AmendmentOut,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        amendment = self.get_object()
        fields = self.validated(AmendmentMoveIn)
        self.call(services.amendment_move, amendment=amendment, status=fields["status"])
        return self._out(amendment)

    @extend_schema(
        summary="Answer the open consent round for yourself: consent, concern or objection "
        "(with a reason); answering again replaces your answer",
        request=ConsentAnswerIn,
        responses=ConsentAnswerOut,
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        amendment = self.get_object()
        fields = self.validated(ConsentAnswerIn)
        round = services.open_round(amendment)
        if round is None:
            raise ValidationError(
                {"non_field_errors": [_("This amendment has no open consent round.")]}
            )
        response = self.call(services.consent_respond, round=round, **fields)
        return Response(ConsentAnswerOut(response).data)


router = SimpleRouter(trailing_slash=True)
router.register("policies", PolicyViewSet, basename="policy")
router.register("amendments", AmendmentViewSet, basename="amendment")
urlpatterns = router.urls
