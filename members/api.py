"""REST API v1 for the directory: organisations, people, skills. Same selectors, filters and
services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from members import permissions, selectors, services
from members.filters import OrganisationApiFilter, PersonApiFilter
from members.models import Organisation, Person, Skill
from members.serializers import (
    OrganisationIn,
    OrganisationOut,
    PersonCreateIn,
    PersonIn,
    PersonOut,
    SkillIn,
    SkillOut,
)
from patio.api import ServiceCallMixin


@extend_schema_view(
    list=extend_schema(
        summary="List organisations", description="Co-ops, federations and partners."
    ),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(summary="Add an organisation (network admins)", request=OrganisationIn),
    partial_update=extend_schema(summary="Edit an organisation", request=OrganisationIn),
    destroy=extend_schema(summary="Remove an organisation that has no people (network admins)"),
)
class OrganisationViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganisationOut
    filterset_class = OrganisationApiFilter
    lookup_field = "slug"
    ordering_fields = ["name", "size", "founded", "id"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.organisation_detail(self.request.user).order_by("name", "id")

    def create(self, request, *args, **kwargs):
        if not permissions.is_network_admin(request.user):
            raise ApiPermissionDenied
        data = OrganisationIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        m2m = {
            name: fields.pop(name)
            for name in ("sectors", "languages", "federations")
            if name in fields
        }
        organisation = self.call(
            services.organisation_create,
            name=fields.pop("name"),
            kind=fields.pop("kind", "worker_coop"),
            country=fields.pop("country"),
            short_description=fields.pop("short_description"),
            data=fields,
            m2m=m2m,
        )
        return Response(
            OrganisationOut(
                self.get_queryset().get(pk=organisation.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        if not permissions.can_edit_organisation(request.user, organisation):
            raise ApiPermissionDenied
        data = OrganisationIn(organisation, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        m2m = {
            name: fields.pop(name)
            for name in ("sectors", "languages", "federations")
            if name in fields
        }
        self.call(
            services.organisation_update,
            organisation=Organisation.objects.get(pk=organisation.pk),
            data=fields,
            m2m=m2m,
        )
        return Response(
            OrganisationOut(
                self.get_queryset().get(pk=organisation.pk), context={"request": request}
            ).data
        )

    def destroy(self, request, *args, **kwargs):
        organisation = self.get_object()
        self.call(services.organisation_delete, organisation=organisation)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description="Contact fields appear only where the caller may see them.",
    ),
    retrieve=extend_schema(summary="One person"),
    create=extend_schema(
        summary="Add a person without an account (co-op admins)", request=PersonCreateIn
    ),
    partial_update=extend_schema(
        summary="Edit a person (themselves, or network admins)", request=PersonIn
    ),
)
class PersonViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonOut
    filterset_class = PersonApiFilter
    ordering_fields = ["display_name", "hours_per_week", "id"]
    ordering = ["display_name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # The list is the people directory; one person is found wherever the reader may see them.
        people = selectors.person_directory if self.action == "list" else selectors.person_list
        return people(self.request.user).order_by("display_name", "id")

    def create(self, request, *args, **kwargs):
        data = PersonCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = self.call(
            services.person_create,
            organisation=fields.pop("organisation"),
            skills=fields.pop("skills", None),
            languages=fields.pop("languages", None),
            data=fields,
        )
        return Response(
            PersonOut(self.get_queryset().get(pk=person.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        if not permissions.can_edit_person(request.user, person):
            raise ApiPermissionDenied
        data = PersonIn(person, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        self.call(
            services.person_update,
            person=Person.objects.get(pk=person.pk),
            skills=fields.pop("skills", None),
            languages=fields.pop("languages", None),
            data=fields,
        )
        return Response(
            PersonOut(self.get_queryset().get(pk=person.pk), context={"request": request}).data
        )


@extend_schema_view(
    list=extend_schema(summary="List skills"),
    retrieve=extend_schema(summary="One skill"),
    create=extend_schema(summary="Add a skill (network admins)", request=SkillIn),
    partial_update=extend_schema(summary="Edit a skill (network admins)", request=SkillIn),
    destroy=extend_schema(summary="Remove a skill nobody has (network admins)"),
)
class SkillViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SkillOut
    lookup_field = "slug"
    queryset = Skill.objects.select_related("category").order_by("name", "id")
    filterset_fields = {"category__slug": ["exact"]}
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = SkillIn(data=request.data)
        data.is_valid(raise_exception=True)
        skill = self.call(services.skill_save, skill=None, data=dict(data.validated_data))
        return Response(SkillOut(skill).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        skill = self.get_object()
        data = SkillIn(skill, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        skill = self.call(services.skill_save, skill=skill, data=dict(data.validated_data))
        return Response(SkillOut(skill).data)

    def destroy(self, request, *args, **kwargs):
        self.call(services.skill_delete, skill=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


router = DefaultRouter(trailing_slash=True)
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("skills", SkillViewSet, basename="skill")
urlpatterns = router.urls
