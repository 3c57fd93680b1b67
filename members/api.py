"""REST API v1 for the directory: organisations, people, skills. Same selectors, filters and
services as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

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

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.serializers import BaseSerializer

_M2M = ("sectors", "languages", "federations")


def _edit_input(
    request: Request,
    instance: Organisation | Person,
    serializer_class: type[BaseSerializer],
    may_edit: Callable[[Any, Any], bool],
) -> dict[str, Any]:
    """A PATCH body, validated against `instance`, once the caller may edit it."""
    if not may_edit(request.user, instance):
        raise ApiPermissionDenied
    data = serializer_class(instance, data=request.data, partial=True)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _pop_m2m(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: fields.pop(name) for name in _M2M if name in fields}


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

    def _answer(self, organisation: Organisation, code: int = status.HTTP_200_OK) -> Response:
        """The organisation as the caller now reads it, re-read with what the service wrote."""
        found = self.get_queryset().get(pk=organisation.pk)
        return Response(OrganisationOut(found, context={"request": self.request}).data, code)

    def create(self, request, *args, **kwargs):
        if not permissions.is_network_admin(request.user):
            raise ApiPermissionDenied
        data = self.validated(OrganisationIn)
        fields = data
        m2m = _pop_m2m(fields)
        organisation = self.call(
            services.organisation_create,
            name=fields.pop("name"),
            kind=fields.pop("kind", "worker_coop"),
            country=fields.pop("country"),
            short_description=fields.pop("short_description"),
            data=fields,
            m2m=m2m,
        )
        return self._answer(organisation, code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        fields = _edit_input(
            request, organisation, OrganisationIn, permissions.can_edit_organisation
        )
        m2m = _pop_m2m(fields)
        self.call(
            services.organisation_update,
            organisation=Organisation.objects.get(pk=organisation.pk),
            data=fields,
            m2m=m2m,
        )
        return self._answer(organisation)

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

    def _answer(self, person: Person, code: int = status.HTTP_200_OK) -> Response:
        """The person as the caller may now see them, re-read with what the service wrote."""
        found = self.get_queryset().get(pk=person.pk)
        return Response(PersonOut(found, context={"request": self.request}).data, code)

    def create(self, request, *args, **kwargs):
        data = self.validated(PersonCreateIn)
        fields = data
        person = self.call(
            services.person_create,
            organisation=fields.pop("organisation"),
            skills=fields.pop("skills", None),
            languages=fields.pop("languages", None),
            data=fields,
        )
        return self._answer(person, code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        fields = _edit_input(request, person, PersonIn, permissions.can_edit_person)
        self.call(
            services.person_update,
            person=Person.objects.get(pk=person.pk),
            skills=fields.pop("skills", None),
            languages=fields.pop("languages", None),
            data=fields,
        )
        return self._answer(person)


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
        data = self.validated(SkillIn)
        skill = self.call(services.skill_save, skill=None, data=data)
        return Response(SkillOut(skill).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        skill = self.get_object()
        data = self.validated(SkillIn, skill, partial=True)
        skill = self.call(services.skill_save, skill=skill, data=data)
        return Response(SkillOut(skill).data)

    def destroy(self, request, *args, **kwargs):
        self.call(services.skill_delete, skill=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(trailing_slash=True)
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("skills", SkillViewSet, basename="skill")
urlpatterns = router.urls
