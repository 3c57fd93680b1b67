"""The projects endpoints of API v1 (mounted under /api/v1/ by patio/urls.py).

Same selectors, filters, permissions and services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from patio.api import ServiceCallMixin
from projects import permissions
from projects.filters import OpportunityApiFilter
from projects.models import MatchRun, Opportunity, TeamMembership
from projects.selectors.opportunities import opportunity_alerts, opportunity_list
from projects.selectors.teams import project_detail, project_list, team_memberships, team_roles
from projects.serializers import (
    AlertsOut,
    InterestIn,
    InterestOut,
    MatchIn,
    MatchRunOut,
    OpportunityIn,
    OpportunityOut,
    ProjectIn,
    ProjectOut,
    RespondIn,
    TeamMembershipOut,
    TeamRoleIn,
    TeamRoleOut,
    TransitionIn,
)
from projects.services.opportunities import (
    StaleStatus,
    interest_express,
    interest_withdraw,
    opportunity_create,
    opportunity_transition,
    opportunity_update,
)
from projects.services.staffing import invitations_send, match_run_request, membership_respond
from projects.services.teams import (
    project_create,
    project_update,
    team_role_add,
    team_role_remove,
    team_role_update,
)


def _service_input(validated: dict) -> tuple[dict, list[dict] | None]:
    data = dict(validated)
    data.pop("circle", None)
    roles = data.pop("roles", None)
    return data, roles


@extend_schema_view(
    list=extend_schema(
        summary="List job opportunities",
        description="Drafts only for their circle's coordinators; members-only ones for members.",
    ),
    retrieve=extend_schema(summary="One job opportunity"),
    create=extend_schema(
        summary="Post an opportunity as a draft (coordinators of the circle)",
        request=OpportunityIn,
        responses={201: OpportunityOut},
    ),
    partial_update=extend_schema(
        summary="Edit an opportunity (coordinators of its circle); `roles` replace all roles",
        request=OpportunityIn,
        responses={200: OpportunityOut},
    ),
)
class OpportunityViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OpportunityOut
    filterset_class = OpportunityApiFilter
    ordering_fields = ["created_at", "opened_at", "start_date", "budget", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return opportunity_list(self.request.user)

    conflict_errors = (StaleStatus,)

    def _out(self, opportunity: Opportunity, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=opportunity.pk)
        return Response(OpportunityOut(fresh, context={"request": self.request}).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.validated(OpportunityIn)
        fields, roles = _service_input(data)
        opportunity = self.call(
            opportunity_create,
            circle=data["circle"],
            data=fields,
            roles=roles or [],
        )
        return self._out(opportunity, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        opportunity = self.get_object()
        if not permissions.can_edit_opportunity(request.user, opportunity):
            raise ApiPermissionDenied
        data = self.validated(OpportunityIn, partial=True, creating=False)
        fields, roles = _service_input(data)
        self.call(opportunity_update, opportunity=opportunity, data=fields, roles=roles)
        return self._out(opportunity)

    @extend_schema(
        summary="Move an opportunity to another status (coordinators of its circle)",
        request=TransitionIn,
        responses={200: OpportunityOut, 409: OpenApiResponse(description="Changed meanwhile.")},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        opportunity = self.get_object()
        data = self.validated(TransitionIn)
        self.call(
            opportunity_transition,
            opportunity=opportunity,
            to_status=data["to_status"],
            note=data["note"],
            leave_unfilled=data["leave_unfilled"],
        )
        return self._out(opportunity)

    @extend_schema(
        summary="Who opening it alerts, or who it alerted (coordinators of its circle)",
        responses={200: AlertsOut, 403: OpenApiResponse(description="Not a coordinator.")},
    )
    @action(detail=True, methods=["get"])
    def alerts(self, request, pk=None):
        opportunity = self.get_object()
        if not permissions.can_edit_opportunity(request.user, opportunity):
            raise ApiPermissionDenied
        counts = opportunity_alerts(opportunity) or dict.fromkeys(AlertsOut().fields)
        return Response(AlertsOut(counts).data)

    @extend_schema(
        methods=["POST"],
        summary="Say you are interested (once)",
        request=InterestIn,
        responses={201: InterestOut},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw your interest",
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["post", "delete"])
    def interest(self, request, pk=None):
        opportunity = self.get_object()
        if request.method == "DELETE":
            self.call(interest_withdraw, opportunity=opportunity)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.validated(InterestIn)
        role = None
        if data.get("role") is not None:
            role = opportunity.roles.filter(pk=data["role"]).first()
            if role is None:
                raise ValidationError({"role": [_("This role belongs to another opportunity.")]})
        interest = self.call(
            interest_express,
            opportunity=opportunity,
            role=role,
            note=data["note"],
        )
        return Response(InterestOut(interest).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List projects (visitors see the public ones)"),
    retrieve=extend_schema(summary="One project with its team roles"),
    create=extend_schema(
        summary="Start a standalone project (coordinators of the circle, network admins)",
        request=ProjectIn,
        responses={201: ProjectOut},
    ),
    partial_update=extend_schema(
        summary="Edit a project: phase, status, dates… (its leads and circle coordinators)",
        request=ProjectIn,
        responses={200: ProjectOut},
    ),
)
class ProjectViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProjectOut
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return project_list(self.request.user)

    def _out(self, project, code: int = status.HTTP_200_OK) -> Response:
        fresh = project_detail(self.request.user).get(pk=project.pk)
        return Response(ProjectOut(fresh, context={"request": self.request}).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.validated(ProjectIn)
        fields = data
        circle = fields.pop("circle")
        roles = [_team_role(role) for role in fields.pop("roles", [])]
        project = self.call(project_create, circle=circle, data=fields, roles=roles)
        return self._out(project, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        data = self.validated(ProjectIn, partial=True, creating=False)
        project = self.call(project_update, project=project, data=data)
        return self._out(project)

    @extend_schema(
        summary="Start team matching (project leads, circle coordinators; write tokens)",
        request=MatchIn,
        responses={202: MatchRunOut},
    )
    @action(detail=True, methods=["post"])
    def match(self, request, pk=None):
        project = self.get_object()
        data = self.validated(MatchIn)
        role = None
        if data.get("role") is not None:
            role = project.roles.filter(pk=data["role"]).first()
            if role is None:
                raise ValidationError({"role": [_("Choose one of this project's roles.")]})
        run = self.call(
            match_run_request,
            project=project,
            mode=data["mode"],
            role=role,
        )
        return Response(MatchRunOut(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Invite the proposed people (project leads, circle coordinators)",
        request=None,
        responses={200: TeamMembershipOut(many=True)},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        project = self.get_object()
        self.call(invitations_send, project=project)
        invited = team_memberships(request.user).filter(
            project=project, status=TeamMembership.Status.INVITED
        )
        return Response(TeamMembershipOut(invited, many=True).data)


def _team_role(validated: dict) -> dict:
    """A TeamRoleIn's data as the services take a role."""
    role = dict(validated)
    role.pop("project", None)
    role.setdefault("languages", [])
    role.setdefault("skills", [])
    return role


@extend_schema_view(
    list=extend_schema(summary="Team roles of the projects you can see (`?project=`)"),
    retrieve=extend_schema(summary="One team role"),
    create=extend_schema(
        summary="Add a seat to a team (its project's leads and circle coordinators)",
        request=TeamRoleIn,
        responses={201: TeamRoleOut},
    ),
    partial_update=extend_schema(
        summary="Change a seat: title, phase, hours, languages, skills",
        request=TeamRoleIn,
        responses={200: TeamRoleOut},
    ),
    destroy=extend_schema(
        summary="Remove a seat nobody is invited to or has accepted", responses={204: None}
    ),
)
class TeamRoleViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TeamRoleOut
    ordering_fields = ["id"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated(TeamRoleIn)
        project = project_detail(request.user).filter(pk=data["project"]).first()
        if project is None:
            raise ValidationError({"project": [_("Give the id of a project you can see.")]})
        role = self.call(team_role_add, project=project, role=_team_role(data))
        return Response(TeamRoleOut(role).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        role = self.get_object()
        data = self.validated(TeamRoleIn, partial=True, creating=False)
        current = {
            "title": role.title,
            "phase": role.phase,
            "hours_per_week": role.hours_per_week,
            "languages": list(role.languages.all()),
            "skills": [
                {"skill": s.skill, "min_level": s.min_level, "weight": s.weight}
                for s in role.skills.all()
            ],
        }
        role = self.call(team_role_update, role=role, data={**current, **data})
        return Response(TeamRoleOut(self.get_queryset().get(pk=role.pk)).data)

    def destroy(self, request, *args, **kwargs):
        self.call(team_role_remove, role=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_queryset(self):
        queryset = team_roles(self.request.user)
        project = self.request.query_params.get("project")
        if project is not None:
            if not project.isdigit():
                raise ValidationError({"project": [_("Give a project's id.")]})
            queryset = queryset.filter(project_id=int(project))
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Team memberships: accepted ones of visible projects, your own invitations, "
        "and everything of the projects you manage"
    ),
    retrieve=extend_schema(summary="One team membership"),
)
class TeamMembershipViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TeamMembershipOut
    ordering_fields = ["id"]
    ordering = ["id"]

    def get_queryset(self):
        return team_memberships(self.request.user)

    @extend_schema(
        summary="Accept or decline your invitation",
        request=RespondIn,
        responses={200: TeamMembershipOut},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        membership = self.get_object()
        data = self.validated(RespondIn)
        membership = self.call(
            membership_respond,
            membership=membership,
            accept=data["answer"] == "accept",
        )
        return Response(TeamMembershipOut(membership).data)


@extend_schema_view(
    retrieve=extend_schema(summary="A matching run: progress, then the proposal (managers)"),
)
class MatchRunViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MatchRunOut

    def get_queryset(self):
        return MatchRun.objects.select_related("project__circle")

    def get_object(self):
        run = super().get_object()
        if not permissions.can_manage_project(self.request.user, run.project):
            raise exceptions.NotFound
        return run


router = SimpleRouter(trailing_slash=True)
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("projects", ProjectViewSet, basename="project")
router.register("team-roles", TeamRoleViewSet, basename="team-role")
router.register("team-memberships", TeamMembershipViewSet, basename="team-membership")
router.register("match-runs", MatchRunViewSet, basename="match-run")
urlpatterns = router.urls
