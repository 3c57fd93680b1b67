"""The API's side of content in many languages (patio.translations): the two writes every
translatable resource offers, so a hub guide's API is a policy's. Apart from patio.api because it
needs DRF's views, which load the authentication classes that import patio.api."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from patio.api import ServiceCallMixin
from patio.i18n import site_languages

StrOrPromise = str | Promise

LANGUAGE_PATH_PARAMETER = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[code for code, _name in site_languages()],
    description="The translation's language.",
)


class TranslationActions(ServiceCallMixin):
    """The two writes of content in many languages (patio.translations): `POST
    …/translations` adds a translation, `POST …/translations/<language>` updates one. The
    viewset names its own pieces, and documents both actions with `extend_schema_view`
    (`translate`, `update_translation`, with `LANGUAGE_PATH_PARAMETER` on the second):

    - `translated_as`: the keyword the app's services take the content by ("guide");
    - `translation_services`: the app's services module, with `translation_add` and
      `translation_update`;
    - `translation_in`, `translation_update_in`, `translation_out`: its serializers;
    - `translation_missing`: the 404's detail, for a language the content has no translation in.
    """

    translated_as: str
    translation_services: Any
    translation_in: type[serializers.BaseSerializer[Any]]
    translation_update_in: type[serializers.BaseSerializer[Any]]
    translation_out: type[serializers.BaseSerializer[Any]]
    translation_missing: StrOrPromise

    def _translation_out(self, translated: Any, made: Any, code: int) -> Response:
        setattr(made, self.translated_as, translated)  # with what the content prefetched
        body = self.translation_out(made, context=self.get_serializer_context()).data
        return Response(body, status=code)

    @action(detail=True, methods=["post"], url_path="translations")
    def translate(self, request: Request, slug: str | None = None) -> Response:
        translated = self.get_object()
        fields = self.validated(self.translation_in)
        made = self.call(
            self.translation_services.translation_add, **{self.translated_as: translated}, **fields
        )
        return self._translation_out(translated, made, 201)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"translations/(?P<language>[a-z]{2,3}(?:-[a-z0-9]{2,8})?)",
    )
    def update_translation(
        self, request: Request, slug: str | None = None, language: str | None = None
    ) -> Response:
        translated = self.get_object()
        made = next((t for t in translated.translations.all() if t.language == language), None)
        if made is None:
            raise exceptions.NotFound(str(self.translation_missing))
        fields = self.validated(self.translation_update_in)
        updated = self.call(
            self.translation_services.translation_update, translation=made, **fields
        )
        return self._translation_out(translated, updated, 200)
