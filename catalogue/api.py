"""REST API v1 for the technology catalogue: `/api/v1/software/`. Same selectors, filters and
services as the pages; every write goes through `ServiceCallMixin.call`."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from catalogue import linked_data, publiccode, selectors, services
from catalogue.filters import SoftwareApiFilter
from catalogue.models import MaintenanceContact, Provider, Software, SoftwareUse
from catalogue.serializers import (
    ContactIn,
    ImportIn,
    OrganisationOnly,
    ProviderIn,
    SoftwareIn,
    SoftwareOut,
    UseIn,
)
from members.permissions import person_of
from patio.api import ServiceCallMixin

_M2M = services.SOFTWARE_M2M


class YamlRenderer(BaseRenderer):
    """publiccode.yml as the export writes it; an error (a dict, problem JSON with its own
    content type set by patio.api) stays JSON."""

    media_type = "application/yaml"
    format = "yaml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return json.dumps(data).encode("utf-8")


class JsonLdRenderer(BaseRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m = {name: list(fields.pop(name)) for name in _M2M if name in fields}
    return fields, m2m


@extend_schema_view(
    list=extend_schema(
        summary="List catalogue entries",
        description="Published entries for everyone; people of the network see drafts too. "
        "`q` (or `search`) also reads “instead of Slack”.",
    ),
    retrieve=extend_schema(summary="One catalogue entry"),
    create=extend_schema(
        summary="Add an entry (people of the network)",
        request=SoftwareIn,
        responses={201: SoftwareOut},
    ),
    partial_update=extend_schema(
        summary="Edit an entry (its adder, its makers' admins, network admins)",
        request=SoftwareIn,
        responses=SoftwareOut,
    ),
)
class SoftwareViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SoftwareOut
    filterset_class = SoftwareApiFilter
    lookup_field = "slug"
    ordering_fields = ["name", "last_release", "id"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.software_detail(self.request.user).order_by("name", "id")

    def _answer(self, software: Software, code: int = status.HTTP_200_OK) -> Response:
        found = self.get_queryset().get(pk=software.pk)
        return Response(SoftwareOut(found, context={"request": self.request}).data, code)

    def create(self, request, *args, **kwargs):
        data = self.validated(SoftwareIn)
        fields, m2m = _split(data)
        if "slug" in fields:
            raise ApiValidationError({"slug": ["An entry's first address comes from its name."]})
        software = self.call(services.software_create, data=fields, m2m=m2m)
        return self._answer(software, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        software = self.get_object()
        data = self.validated(SoftwareIn, software, partial=True)
        fields, m2m = _split(data)
        self.call(
            services.software_update,
            software=Software.objects.get(pk=software.pk),
            data={k: v for k, v in fields.items() if k != "slug"},
            m2m=m2m,
            slug=fields.get("slug"),
        )
        return self._answer(software)

    @extend_schema(
        summary="Import an entry from a publiccode.yml (people of the network)",
        description="Give the file's `url` (http or https; fetched with a timeout and a size "
        "limit, redirects not followed) or its text as `publiccode`. The entry is a draft. "
        "What the file lacks of the standard's required keys comes back as errors on the field.",
        request=ImportIn,
        responses={201: SoftwareOut},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_publiccode(self, request):
        data = self.validated(ImportIn)
        url = data.get("url") or ""
        field = "url" if url else "publiccode"
        try:
            text = publiccode.fetch(url) if url else data["publiccode"]
            imported = publiccode.read(text, language=get_language())
        except publiccode.PubliccodeError as error:
            raise ApiValidationError({field: error.problems}) from None
        software = self.call(services.software_import, imported=imported, source_url=url)
        return self._answer(software, status.HTTP_201_CREATED)

    @extend_schema(
        summary="An entry as publiccode.yml",
        description="The entry in the publiccode.yml 0.4 standard, as YAML: what it does "
        "(features), its licence, and its maintenance derived from the catalogue (contacts "
        "who agreed to be named, or the co-ops under a support contract). Only contact "
        "details the directory shows everyone are written.",
        responses={
            (200, "application/yaml"): OpenApiResponse(
                response=OpenApiTypes.STR, description="The publiccode.yml file."
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="publiccode",
        renderer_classes=[YamlRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def publiccode(self, request, slug=None):
        software = self.get_object()
        if software.is_published:
            # The file is a public document: the co-ops and people a visitor may read.
            software = selectors.software_detail(None).get(pk=software.pk)
        response = Response(publiccode.dumps(publiccode.export(software)))
        response["Content-Disposition"] = 'inline; filename="publiccode.yml"'
        return response

    @extend_schema(
        summary="An entry as schema.org JSON-LD (published entries)",
        description="The `SoftwareApplication` document the entry's page embeds. A draft has "
        "none: 404.",
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                response=OpenApiTypes.OBJECT, description="The JSON-LD document."
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="jsonld",
        renderer_classes=[JsonLdRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def jsonld(self, request, slug=None):
        software = self.get_object()
        if not software.is_published:
            raise NotFound
        public = selectors.software_detail(None).get(pk=software.pk)
        return Response(linked_data.software_document(public))

    @extend_schema(
        summary="List a co-op as a provider, or change its offer (the co-op's admins)",
        request=ProviderIn,
        responses=SoftwareOut,
    )
    @action(detail=True, methods=["post"])
    def providers(self, request, slug=None):
        software = self.get_object()
        data = self.validated(ProviderIn)
        fields = data
        organisation = fields.pop("organisation")
        fields["countries"] = [str(code) for code in fields.get("countries", [])]
        self.call(
            services.provider_save,
            software=Software.objects.get(pk=software.pk),
            organisation=organisation,
            data=fields,
        )
        return self._answer(software)

    @extend_schema(
        summary="Stop listing a co-op as a provider (the co-op's admins)",
        request=OrganisationOnly,
        responses=SoftwareOut,
    )
    @action(detail=True, methods=["post"], url_path="providers/remove")
    def providers_remove(self, request, slug=None):
        software = self.get_object()
        data = self.validated(OrganisationOnly)
        provider = Provider.objects.filter(
            software=software, organisation=data["organisation"]
        ).first()
        if provider is None:
            raise NotFound
        self.call(services.provider_remove, provider=provider)
        return self._answer(software)

    @extend_schema(
        summary="Say a co-op uses the software, what for and its rating (the co-op's admins)",
        request=UseIn,
        responses=SoftwareOut,
    )
    @action(detail=True, methods=["post"])
    def uses(self, request, slug=None):
        software = self.get_object()
        data = self.validated(UseIn)
        fields = data
        organisation = fields.pop("organisation")
        self.call(
            services.use_save,
            software=Software.objects.get(pk=software.pk),
            organisation=organisation,
            data=fields,
        )
        return self._answer(software)

    @extend_schema(
        summary="Stop listing a co-op as a user (the co-op's admins)",
        request=OrganisationOnly,
        responses=SoftwareOut,
    )
    @action(detail=True, methods=["post"], url_path="uses/remove")
    def uses_remove(self, request, slug=None):
        software = self.get_object()
        data = self.validated(OrganisationOnly)
        use = SoftwareUse.objects.filter(
            software=software, organisation=data["organisation"]
        ).first()
        if use is None:
            raise NotFound
        self.call(services.use_remove, use=use)
        return self._answer(software)

    def _contact_person(self):
        """The person the body names, else the caller's own (none: refused, as on the page)."""
        data = self.validated(ContactIn)
        person = data.get("person") or person_of(self.request.user)
        if person is None:
            raise PermissionDenied(_("Your account has no person to name."))
        return person

    @extend_schema(
        summary="Name a maintenance contact: yourself, with your agreement",
        description="People of the network's co-ops name themselves; network admins may name "
        "someone else, recording an agreement given elsewhere. The entry's output and its "
        "publiccode.yml then name the person, with only the contact details the directory "
        "shows everyone. Naming someone again changes nothing.",
        request=ContactIn,
        responses=SoftwareOut,
    )
    @action(detail=True, methods=["post"])
    def contacts(self, request, slug=None):
        software = self.get_object()
        person = self._contact_person()
        self.call(
            services.contact_add, software=Software.objects.get(pk=software.pk), person=person
        )
        return self._answer(software)

    @extend_schema(
        summary="Take a maintenance contact off (the person, the entry's editors, network admins)",
        request=ContactIn,
        responses=SoftwareOut,
    )
    @action(detail=True, methods=["post"], url_path="contacts/remove")
    def contacts_remove(self, request, slug=None):
        software = self.get_object()
        person = self._contact_person()
        contact = MaintenanceContact.objects.filter(software=software, person=person).first()
        if contact is None:
            raise NotFound
        self.call(services.contact_remove, contact=contact)
        return self._answer(software)


router = SimpleRouter(trailing_slash=True)
router.register("software", SoftwareViewSet, basename="software")
urlpatterns = router.urls
