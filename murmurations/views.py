"""Profiles at permanent addresses: `/murmurations/<kind>/<id>.json`, as JSON, for anyone.

A public object answers its profile; one that is gone for good (a co-op that left) answers
410 Gone, so the index and aggregators drop it; anything else, private or unknown, answers 404,
whoever asks: a profile is a public document, built from what a visitor may read. Every answer
is JSON and may be read from any origin (no credentials are involved)."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from members.models import Organisation
from members.permissions import can_edit_organisation
from murmurations import coops, profiles, selectors


def _answer(body: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        body, status=status, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def profile(request: HttpRequest, kind: str, pk: int) -> JsonResponse:
    try:
        spec = profiles.kind_named(kind)
    except LookupError:
        return _answer({"status": 404, "detail": _("There is no profile here.")}, status=404)
    document = spec.profile_of(pk)
    if document is not None:
        return _answer(document)
    if spec.is_gone(pk):
        return _answer(
            {"status": 410, "detail": _("This profile was withdrawn: it left the network.")},
            status=410,
        )
    return _answer({"status": 404, "detail": _("There is no profile here.")}, status=404)


def coop_section(request: HttpRequest, organisation: Organisation) -> str:
    """On a co-op's page, for those who edit it: where its profile stands in the index."""
    if not can_edit_organisation(request.user, organisation):
        return ""
    registration = selectors.registration_of(coops.KEY, organisation.pk)
    if registration is None:
        return ""
    return render_to_string(
        "murmurations/coop_section.html", {"registration": registration}, request=request
    )
