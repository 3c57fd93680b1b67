"""REST API v1 for case studies: `/api/v1/case-studies/`. Same selectors and services as the
pages; every write goes through `ServiceCallMixin.call`."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from casestudies import permissions, selectors, services
from casestudies.models import CaseStudy
from casestudies.search import search_case_studies
from casestudies.serializers import (
    CaseStudyCreateIn,
    CaseStudyIn,
    CaseStudyOut,
    ConsentIn,
    ProjectSoftwareIn,
    ProjectSoftwareListOut,
    ProjectSoftwareOut,
)
from catalogue.models import Software
from patio.api import ServiceCallMixin
from projects.models import Project

QUERY_MAX = 200


@extend_schema_view(
    list=extend_schema(
        summary="List case studies",
        description="Published ones for everyone; drafts and withdrawn ones for their "
        "project's team and network admins. `q` searches the text, co-ops, skills and software.",
        parameters=[OpenApiParameter("q", str, description="Words to search for.")],
    ),
    retrieve=extend_schema(summary="One case study"),
    create=extend_schema(
        summary="Draft the case study of a finished project (its leads, network admins)",
        description="The draft is pre-filled from the project: the team's co-ops and their "
        "countries, skills, phases, the software used and the dates.",
        request=CaseStudyCreateIn,
        responses={201: CaseStudyOut},
    ),
    partial_update=extend_schema(
        summary="Write the story and outcome (the project's leads, network admins)",
        request=CaseStudyIn,
        responses=CaseStudyOut,
    ),
)
class CaseStudyViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseStudyOut
    lookup_field = "slug"
    ordering_fields = ["id", "published_at", "title"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = selectors.case_study_detail(self.request.user)
        query = (self.request.query_params.get("q") or "").strip()[:QUERY_MAX]
        if self.action == "list" and query:
            return search_case_studies(queryset, query)
        return queryset

    def _answer(self, case_study: CaseStudy, code: int = status.HTTP_200_OK) -> Response:
        found = selectors.case_study_detail(self.request.user).get(pk=case_study.pk)
        return Response(CaseStudyOut(found, context={"request": self.request}).data, code)

    def _fresh(self) -> CaseStudy:
        return CaseStudy.objects.select_related("project").get(pk=self.get_object().pk)

    def create(self, request, *args, **kwargs):
        data = CaseStudyCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        project = selectors.project_for_draft(fields["project"])
        if project is None:
            raise NotFound("No project has this id.")
        case_study = self.call(
            services.case_study_create,
            project=project,
            title=fields.get("title", ""),
            software=fields.get("software"),
        )
        return self._answer(case_study, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        case_study = self._fresh()
        data = CaseStudyIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        software = fields.pop("software", None)
        self.call(services.case_study_update, case_study=case_study, data=fields, software=software)
        return self._answer(case_study)

    @extend_schema(
        summary="Record the client's permission to publish (the project's leads, network admins)",
        request=ConsentIn,
        responses=CaseStudyOut,
    )
    @action(detail=True, methods=["post"])
    def permission(self, request, slug=None):
        case_study = self._fresh()
        data = ConsentIn(data=request.data)
        data.is_valid(raise_exception=True)
        self.call(services.case_study_record_consent, case_study=case_study, **data.validated_data)
        return self._answer(case_study)

    @extend_schema(
        summary="Publish it (once the client's permission is recorded)",
        request=None,
        responses=CaseStudyOut,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        case_study = self._fresh()
        self.call(services.case_study_publish, case_study=case_study)
        return self._answer(case_study)

    @extend_schema(
        summary="Withdraw it from the public pages", request=None, responses=CaseStudyOut
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, slug=None):
        case_study = self._fresh()
        self.call(services.case_study_withdraw, case_study=case_study)
        return self._answer(case_study)


class ProjectSoftwareViewSet(ServiceCallMixin, viewsets.GenericViewSet):
    """The software a project uses: one document per project (not a list of its own: a project
    uses a handful of entries), with add and remove."""

    serializer_class = ProjectSoftwareOut
    pagination_class = None
    filter_backends: list = []

    def _project(self) -> Project:
        project = Project.objects.filter(pk=self.kwargs["project_id"]).first()
        if project is None or not permissions.can_view_software_used(self.request.user, project):
            raise NotFound
        return project

    def get_queryset(self):
        return Software.objects.none()

    @extend_schema(
        summary="The software a project uses",
        description="Published catalogue entries, by name, for whoever may read the project. "
        "A case study's draft starts from this list.",
        responses=ProjectSoftwareListOut,
    )
    def used(self, request, *args, **kwargs):
        project = self._project()
        software = selectors.software_used(project).only("id", "slug", "name", "summary")
        body = {"project": project.pk, "software": list(software)}
        return Response(ProjectSoftwareListOut(body, context={"request": request}).data)

    @extend_schema(
        summary="Add a catalogue entry a project uses (its leads, coordinators, network admins)",
        request=ProjectSoftwareIn,
        responses={201: ProjectSoftwareOut},
    )
    def add(self, request, *args, **kwargs):
        project = self._project()
        data = self.validated(ProjectSoftwareIn)
        self.call(services.project_software_add, project=project, software=data["software"])
        body = ProjectSoftwareOut(data["software"], context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a catalogue entry from a project (its leads, coordinators, admins)",
        responses={204: None},
    )
    def remove(self, request, *args, **kwargs):
        project = self._project()
        if not permissions.can_change_software_used(request.user, project):
            raise PermissionDenied
        software = Software.objects.filter(slug=kwargs["slug"]).first()
        if software is None or not self.call(
            services.project_software_remove, project=project, software=software
        ):
            raise NotFound
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(trailing_slash=True)
router.register("case-studies", CaseStudyViewSet, basename="case-study")
urlpatterns = [
    *router.urls,
    path(
        "projects/<int:project_id>/software/",
        ProjectSoftwareViewSet.as_view({"get": "used", "post": "add"}),
        name="project-software",
    ),
    path(
        "projects/<int:project_id>/software/<slug:slug>/",
        ProjectSoftwareViewSet.as_view({"delete": "remove"}),
        name="project-software-remove",
    ),
]
