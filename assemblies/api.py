"""REST API v1 for assemblies. Same selectors, filters and services as the pages."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from assemblies import permissions, selectors, services
from assemblies.filters import (
    ActionItemApiFilter,
    AgendaItemApiFilter,
    AssemblyApiFilter,
    CircleUpdateApiFilter,
    DecisionApiFilter,
)
from assemblies.models import ActionItem, AgendaItem, CircleUpdate, Correction
from assemblies.serializers import (
    ActionItemIn,
    ActionItemOut,
    AgendaItemIn,
    AgendaItemOut,
    AssemblyIn,
    AssemblyOut,
    CircleUpdateIn,
    CircleUpdateOut,
    CorrectionIn,
    CorrectionOut,
    DecisionIn,
    DecisionOut,
    DelegationIn,
    MinutesIn,
    MinutesOut,
    QuorumOut,
    RotationIn,
    RotationOut,
    RsvpIn,
    RsvpOut,
    SuggestionDecisionIn,
    SuggestionIn,
    VoteDelegationOut,
)
from patio import api as patio_api


class ServiceCallMixin(patio_api.ServiceCallMixin):
    """The shared service call; a write to a closed assembly's record answers 409 Conflict."""

    conflict_errors = (services.RecordFrozen,)  # MinutesFrozen included


class _Visible(APIView):
    """Every list and detail is for members; visitors and accountless users get nothing."""

    def check_permissions(self, request):
        super().check_permissions(request)
        if not permissions.can_view_assemblies(request.user):
            self.permission_denied(request)


@extend_schema_view(
    list=extend_schema(summary="List assemblies"),
    retrieve=extend_schema(summary="One assembly"),
    create=extend_schema(summary="Schedule an assembly (network admins)", request=AssemblyIn),
    partial_update=extend_schema(
        summary="Edit or move an assembly (network admins)", request=AssemblyIn
    ),
)
class AssemblyViewSet(
    _Visible,
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssemblyOut
    filterset_class = AssemblyApiFilter
    ordering_fields = ["start", "id"]
    ordering = ["start", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.as_served(selectors.assembly_detail(self.request.user)).order_by(
            "start", "id"
        )

    def _out(self, assembly, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=assembly.pk)
        return Response(AssemblyOut(fresh, context={"request": self.request}).data, status=code)

    def create(self, request, *args, **kwargs):
        if not permissions.can_schedule(request.user):
            raise ApiPermissionDenied
        fields = self.validated(AssemblyIn)
        return self._out(self.call(services.assembly_schedule, **fields), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        assembly = self.get_object()
        if not permissions.can_schedule(request.user):
            raise ApiPermissionDenied
        fields = self.validated(AssemblyIn, assembly, partial=True)
        self.call(services.assembly_update, assembly=assembly, data=fields)
        return self._out(assembly)

    @extend_schema(
        summary="Answer for yourself: going, maybe or not going", request=RsvpIn, responses=RsvpOut
    )
    @action(detail=True, methods=["post"])
    def rsvp(self, request, pk=None):
        assembly = self.get_object()
        fields = self.validated(RsvpIn)
        rsvp = self.call(services.rsvp_set, assembly=assembly, answer=fields["answer"])
        return Response(RsvpOut(rsvp).data)

    @extend_schema(
        summary="The quorum now, with the votes carried by delegation", responses=QuorumOut
    )
    @action(detail=True, methods=["get"])
    def quorum(self, request, pk=None):
        count = selectors.quorum(self.get_object())
        data = {
            name: getattr(count, name)
            for name in (
                "active",
                "percent",
                "needed",
                "going",
                "maybe",
                "present",
                "counting_presence",
                "delegated",
                "overridden",
                "count",
                "reached",
            )
        }
        return Response(QuorumOut(data).data)

    @extend_schema(
        methods=["post"],
        summary="Delegate your vote in this assembly to an active member who will attend",
        request=DelegationIn,
        responses={201: VoteDelegationOut},
    )
    @extend_schema(
        methods=["delete"],
        summary="Revoke your delegation (until it is used in a vote)",
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["post", "delete"])
    def delegation(self, request, pk=None):
        assembly = self.get_object()
        if request.method == "DELETE":
            self.call(services.delegation_revoke, assembly=assembly)
            return Response(status=status.HTTP_204_NO_CONTENT)
        fields = self.validated(DelegationIn)
        given = self.call(services.delegate_vote, assembly=assembly, delegate=fields["delegate"])
        return Response(
            VoteDelegationOut(
                selectors.live_delegations(assembly)
                .select_related("delegator", "delegate")
                .get(pk=given.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Who delegated to whom: all for those who run it, your own for others",
        responses=VoteDelegationOut(many=True),
        # A plain list of one assembly's delegations, not a paged collection.
        operation_id="assemblies_delegations_read",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def delegations(self, request, pk=None):
        rows = selectors.delegations_visible(request.user, self.get_object())
        return Response(VoteDelegationOut(rows, many=True).data)

    @extend_schema(
        methods=["get"], summary="The minutes of a closed assembly", responses=MinutesOut
    )
    @extend_schema(
        methods=["post"],
        summary="Publish the draft minutes (the note-taker)",
        request=MinutesIn,
        responses={201: MinutesOut},
    )
    @action(detail=True, methods=["get", "post"])
    def minutes(self, request, pk=None):
        assembly = self.get_object()
        if request.method == "POST":
            fields = self.validated(MinutesIn)
            self.call(services.minutes_publish, assembly=assembly, text=fields["text"])
            return self._minutes(assembly, status.HTTP_201_CREATED)
        return self._minutes(assembly)

    def _minutes(self, assembly, code=status.HTTP_200_OK) -> Response:
        minutes = selectors.minutes_of(assembly)
        if minutes is None:
            raise NotFound
        minutes = (
            type(minutes)
            .objects.select_related("published_by", "approved_by")
            .prefetch_related("revisions__author")
            .get(pk=minutes.pk)
        )
        return Response(MinutesOut(minutes).data, status=code)

    @extend_schema(
        summary="Approve the minutes once every suggestion is decided (the facilitator)",
        request=None,
        responses=MinutesOut,
    )
    @action(detail=True, methods=["post"], url_path="minutes/approve", url_name="minutes-approve")
    def approve_minutes(self, request, pk=None):
        assembly = self.get_object()
        self.call(services.minutes_approve, assembly=assembly)
        return self._minutes(assembly)

    @extend_schema(
        methods=["get"],
        summary="Whom the series suggests to facilitate and take notes",
        responses=RotationOut,
    )
    @extend_schema(
        methods=["post"],
        summary="Confirm the facilitator and the note-taker (network admins)",
        request=RotationIn,
        responses=AssemblyOut,
    )
    @action(detail=True, methods=["get", "post"])
    def rotation(self, request, pk=None):
        assembly = self.get_object()
        if request.method == "POST":
            fields = self.validated(RotationIn)
            self.call(services.rotation_confirm, assembly=assembly, **fields)
            return self._out(assembly)
        found = selectors.rotation_suggestion(assembly)
        if found is None:
            raise NotFound
        data = {
            "facilitator": found.facilitator,
            "note_taker": found.note_taker,
            "volunteers": [{"person": p, "last_served": last} for p, last in found.ranked],
        }
        return Response(RotationOut(data).data)


@extend_schema_view(
    list=extend_schema(summary="List agenda items"),
    retrieve=extend_schema(summary="One agenda item"),
    create=extend_schema(summary="Propose an agenda item (members)", request=AgendaItemIn),
    partial_update=extend_schema(
        summary="Edit or reorder an item (the facilitator)", request=AgendaItemIn
    ),
)
class AgendaItemViewSet(
    _Visible,
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgendaItemOut
    filterset_class = AgendaItemApiFilter
    ordering_fields = ["order", "id"]
    ordering = ["assembly", "order", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return AgendaItem.objects.select_related("proposer", "assembly").order_by(
            "assembly", "order", "id"
        )

    def create(self, request, *args, **kwargs):
        fields = self.validated(AgendaItemIn)
        fields.pop("order", None)
        item = self.call(services.agenda_item_propose, **fields)
        return Response(AgendaItemOut(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        fields = self.validated(AgendaItemIn, item, partial=True)
        if "assembly" in fields and fields.pop("assembly") != item.assembly:
            raise ValidationError({"assembly": ["An item cannot move to another assembly."]})
        self.call(services.agenda_item_update, item=item, data=fields)
        return Response(AgendaItemOut(self.get_queryset().get(pk=item.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="List circle updates"),
    retrieve=extend_schema(summary="One circle update"),
    create=extend_schema(
        summary="Post a circle's update (its coordinators)", request=CircleUpdateIn
    ),
)
class CircleUpdateViewSet(
    _Visible,
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CircleUpdateOut
    filterset_class = CircleUpdateApiFilter
    ordering_fields = ["id", "updated_at"]
    ordering = ["id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return CircleUpdate.objects.select_related("circle", "author").order_by("id")

    def create(self, request, *args, **kwargs):
        fields = self.validated(CircleUpdateIn)
        assembly, circle = fields.pop("assembly"), fields.pop("circle")
        update = self.call(
            services.circle_update_save, assembly=assembly, circle=circle, data=fields
        )
        return Response(CircleUpdateOut(update).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List decisions (the decisions log)",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Search text and objections")
        ],
    ),
    retrieve=extend_schema(summary="One decision"),
    create=extend_schema(summary="Record a decision (facilitator, note-taker)", request=DecisionIn),
)
class DecisionViewSet(
    _Visible,
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DecisionOut
    filterset_class = DecisionApiFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        query = self.request.query_params.get("q", "") if self.action == "list" else ""
        return selectors.decisions_log(self.request.user, query[:200])

    def create(self, request, *args, **kwargs):
        fields = self.validated(DecisionIn)
        decision = self.call(services.decision_record, **fields)
        return Response(DecisionOut(decision).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List action items"),
    retrieve=extend_schema(summary="One action item"),
    create=extend_schema(
        summary="Record an action item (facilitator, note-taker)", request=ActionItemIn
    ),
    partial_update=extend_schema(
        summary="Update an action item (its owner: the status)", request=ActionItemIn
    ),
)
class ActionItemViewSet(
    _Visible,
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActionItemOut
    filterset_class = ActionItemApiFilter
    ordering_fields = ["due_date", "id"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.action_items_for(self.request.user).order_by("id")

    def create(self, request, *args, **kwargs):
        fields = self.validated(ActionItemIn)
        fields.pop("status", None)
        action = self.call(services.action_item_create, **fields)
        return Response(ActionItemOut(action).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        action = self.get_object()
        fields = self.validated(ActionItemIn, action, partial=True)
        if "assembly" in fields and fields.pop("assembly") != action.assembly:
            raise ValidationError({"assembly": ["An action cannot move to another assembly."]})
        fields.pop("agenda_item", None)
        self.call(services.action_item_update, action=action, data=fields)
        return Response(
            ActionItemOut(ActionItem.objects.select_related("owner").get(pk=action.pk)).data
        )


@extend_schema_view(
    list=extend_schema(summary="List corrections to closed assemblies' records"),
    retrieve=extend_schema(summary="One correction"),
    create=extend_schema(
        summary="Correct a closed assembly's record (facilitator, note-taker, admins)",
        request=CorrectionIn,
    ),
)
class CorrectionViewSet(
    _Visible,
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CorrectionOut
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        corrections = Correction.objects.select_related("author", "decided_by").order_by("id")
        assembly = self.request.query_params.get("assembly", "")
        return corrections.filter(assembly_id=assembly) if assembly.isdigit() else corrections

    def create(self, request, *args, **kwargs):
        fields = self.validated(CorrectionIn)
        correction = self.call(services.correction_add, **fields)
        return Response(CorrectionOut(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Suggest a correction to draft minutes (those present, while it is open)",
        request=SuggestionIn,
        responses={201: CorrectionOut},
    )
    @action(detail=False, methods=["post"])
    def suggest(self, request):
        fields = self.validated(SuggestionIn)
        correction = self.call(services.correction_suggest, **fields)
        return Response(CorrectionOut(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept or reject a suggested correction (the facilitator)",
        request=SuggestionDecisionIn,
        responses=CorrectionOut,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        correction = self.get_object()
        fields = self.validated(SuggestionDecisionIn)
        self.call(services.correction_decide, correction=correction, **fields)
        return Response(CorrectionOut(self.get_queryset().get(pk=correction.pk)).data)


router = SimpleRouter(trailing_slash=True)
router.register("assemblies", AssemblyViewSet, basename="assembly")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("circle-updates", CircleUpdateViewSet, basename="circle-update")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("corrections", CorrectionViewSet, basename="correction")
urlpatterns = router.urls
