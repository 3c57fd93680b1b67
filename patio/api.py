"""What every app's REST API shares: problem details for errors, strict input, keyset pages
(`KeysetPagination`, from patio.pagination).

Errors follow RFC 9457 (application/problem+json): `type`, `title`, `status`, `detail`, and for
validation errors an `errors` object keyed by field, so partner tools handle every 4xx one way.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, permissions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.relations import PKOnlyObject
from rest_framework.request import Request
from rest_framework.response import Response

# Re-exported: the settings name it here.
from patio.pagination import KeysetPagination as KeysetPagination

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _SerializerBase = serializers.Serializer[Any]
    _ViewBase = GenericAPIView[Any]
else:
    # Mixins at run time; typed as what they are mixed into.
    _SerializerBase = object
    _ViewBase = object

_T = TypeVar("_T")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://patio.coop/problems/"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _lazy("The request body is too large.")
    default_code = "payload_too_large"


def _problem_type(code: str) -> str:
    return PROBLEM_TYPE_BASE + code.replace("_", "-")


def problem(
    status: int, title: str, detail: str = "", code: str = "", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": _problem_type(code) if code else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    body.update(extra)
    return body


def _titles() -> dict[int, str]:
    return {
        400: _("Your request could not be processed."),
        401: _("Authentication is required."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("Method not allowed."),
        406: _("Not acceptable."),
        409: _("Conflict."),
        413: _("The request body is too large."),
        415: _("Unsupported media type."),
        429: _("Too many requests."),
    }


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, reshaped into problem details."""
    # Imported here: rest_framework.views reads the API settings, which name classes of this
    # module, so a top-level import is circular whenever DRF loads this module first.
    from rest_framework.views import exception_handler

    if isinstance(exc, RequestDataTooBig):
        # DRF reads JSON through request.body, where Django refuses a big body as a plain 400.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge(
            _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    title = _titles().get(status, _("Error."))
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = problem(
            status,
            _("Your request has invalid fields."),
            _("Correct the fields listed in errors and send the request again."),
            code="validation-error",
            errors=errors,
        )
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(exc, "default_code", "") if isinstance(exc, exceptions.APIException) else ""
        if isinstance(exc, Http404):
            code = "not_found"
        elif isinstance(exc, PermissionDenied):
            code = "permission_denied"
        body = problem(status, title, str(detail) if detail else title, code=code)
        wait = getattr(exc, "wait", None)  # set by Throttled's __init__; the stubs omit it
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            body["retry_after"] = int(wait)
    return Response(
        body, status=status, headers=_kept_headers(response), content_type=PROBLEM_CONTENT_TYPE
    )


def _kept_headers(response: HttpResponseBase) -> dict[str, str]:
    return {k: v for k, v in response.items() if k in {"WWW-Authenticate", "Retry-After", "Allow"}}


def problem_response(status: int, code: str, title: str, detail: str = "") -> JsonResponse:
    """For errors raised outside DRF views (Django's 404/500 handlers under /api/)."""
    return JsonResponse(
        problem(status, title, detail, code=code),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON with a size limit, no NaN/Infinity, and no NUL characters anywhere.

    Django usually refuses a big body first (RequestDataTooBig, turned into a 413 by
    problem_exception_handler); the limit is checked here too for streams Django did not read.
    """

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:  # any JSON value, not only an object
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(
                _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
            )
        try:
            text = raw.decode("utf-8")
            data = json.loads(text, parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise exceptions.ParseError(_("Malformed JSON: %(error)s") % {"error": error}) from None
        if _contains_nul(data):
            raise exceptions.ParseError(_("NUL characters are not allowed in the request body."))
        return data


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def _json_type_error(field: serializers.Field[Any, Any, Any, Any], value: Any) -> str | None:
    """Why a JSON value is not of the type the field's schema says, or None when it is.

    DRF is lenient (a CharField takes a number, a list field takes an object's keys, a
    BooleanField takes "yes"); the schema promises strict JSON types, so the API keeps to them."""
    if value is None:
        return None  # allow_null decides
    many = (
        serializers.ListField,
        serializers.ManyRelatedField,
        serializers.MultipleChoiceField,
        serializers.ListSerializer,
    )
    if isinstance(field, many):
        if not isinstance(value, list):
            return _("Send a list.")
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        wrong = (_json_type_error(child, item) for item in value) if child is not None else ()
        return next((message for message in wrong if message), None)
    if isinstance(field, serializers.BaseSerializer):
        if not isinstance(value, dict):
            return _("Send an object.")
        fields = getattr(field, "fields", {})
        wrong = (
            _json_type_error(sub, value[name])
            for name, sub in fields.items()
            if name in value and not sub.read_only
        )
        return next((message for message in wrong if message), None)
    if isinstance(field, serializers.SlugRelatedField):
        return None if isinstance(value, str) else _("Send a string.")
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        whole = isinstance(value, int) and not isinstance(value, bool)
        return None if whole else _("Send a whole number.")
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Send true or false.")
    if isinstance(field, serializers.IntegerField):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return None if whole and not isinstance(value, bool) else _("Send a whole number.")
    if isinstance(field, serializers.FloatField):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if number else _("Send a number.")
    if isinstance(field, serializers.CharField):
        return None if isinstance(value, str) else _("Send a string.")
    return None


class StrictFieldsMixin(_SerializerBase):
    """Refuse fields the serializer does not know, instead of silently ignoring them, and values
    of another JSON type than the field's."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            wrong = {
                name: [message]
                for name, field in self.fields.items()
                if name in data
                and not field.read_only
                and (message := _json_type_error(field, data[name]))
            }
            if getattr(self, "parent", None) is not None:
                # Nested: `validate` below sees only the outermost body.
                wrong |= {
                    name: [_("This field is unknown or read-only.")] for name in self._unknown(data)
                }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def _unknown(self, data: dict[str, Any]) -> list[str]:
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return sorted(set(data) - writable)

    def validate(self, attrs: Any) -> Any:
        initial = getattr(self, "initial_data", None)
        if isinstance(initial, dict):
            unknown = self._unknown(initial)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is unknown or read-only.")] for name in unknown}
                )
        return super().validate(attrs)


# A concrete model column read as it is: DRF's `get_attribute` (a callable check through
# `inspect` on every value) and its `_readable_fields` generator are most of a list page's time.
_PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.TimeField,
)


@functools.cache
def _choice_labels(field: Any, language: str | None) -> dict[Any, str]:
    # Called with the request's language active, so the labels are that language's.
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(field: Any, language: str | None, value: Any) -> Any:
    """What `get_FOO_display()` answers for `value`, from labels translated once per language:
    Django's own builds a dict of the field's choices, translating every label, on each call."""
    try:
        return _choice_labels(field, language).get(value, value)
    except TypeError:  # an unhashable value, never a choice
        return value


class FastReadMixin(_SerializerBase):
    """Output serializers whose rows are read without DRF's per-field overhead, giving exactly
    DRF's output: every field still turns its value into JSON with its own `to_representation`;
    only how the value is fetched is shorter. A field reading one concrete column of the model
    (no dotted source, no relation), or its `get_FOO_display()`, takes it directly; every other field
    (relations, nested serializers, methods, `*`) goes through DRF as before. The schema is the
    fields', so it does not change."""

    @functools.cached_property
    def _read_plan(self) -> list[tuple[str, str | None, Any, Any]]:
        model = getattr(getattr(self, "Meta", None), "model", None)
        fields = model._meta.concrete_fields if model else []
        columns = {f.attname for f in fields}
        # Django's `get_FOO_display()` of a field with choices: the label of the column's value.
        displays = {f"get_{f.name}_display": f for f in fields if f.choices}
        plan: list[tuple[str, str | None, Any, Any]] = []
        for field in self._readable_fields:
            attrs = field.source_attrs
            plain = isinstance(field, _PLAIN_FIELDS) and len(attrs) == 1
            column = attrs[0] if plain and (attrs[0] in columns or attrs[0] in displays) else None
            if column in displays:
                plan.append(
                    (str(field.field_name), displays[column].attname, displays[column], field)
                )
            else:
                plan.append((str(field.field_name), column, None, field))
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        ret: dict[str, Any] = {}
        language = get_language()
        for name, column, choices_of, field in self._read_plan:
            if column is not None:
                value = getattr(instance, column)
                if choices_of is not None:
                    value = choice_label(choices_of, language, value)
            else:
                try:
                    value = field.get_attribute(instance)
                except serializers.SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    value = None
            ret[name] = None if value is None else field.to_representation(value)
        return ret


class ByKey(StrictFieldsMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A related object in an input body, written the way the output embeds it: an object holding
    just the object's lookup key, `{"id": 12}` for a person, `{"slug": "camplight"}` for a co-op.

    What a client reads back (`{"id": 12, "display_name": …}`) names the object by the same key, so
    input and output refer to it the same way. Validates to the model instance. Subclasses declare
    the key's field and `queryset`; other keys are refused, like any unknown field."""

    queryset: QuerySet[Any]
    key: str = "id"
    not_found = _lazy("Nothing has this key.")

    def to_internal_value(self, data: Any) -> Any:
        attrs = super().to_internal_value(data)
        found = self.queryset.filter(**{self.key: attrs[self.key]}).first()
        if found is None:
            raise serializers.ValidationError({self.key: [self.not_found]})
        return found

    def to_representation(self, instance: Any) -> Any:
        return {self.key: getattr(instance, self.key)}


def as_api_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's Django ValidationError as DRF's, keeping the fields it names."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _lazy("The resource changed meanwhile.")
    default_code = "conflict"


def _http_request(request: Any) -> HttpRequest:
    """Django's request under DRF's (a plain one stays as it is)."""
    inner: HttpRequest = getattr(request, "_request", request)
    return inner


def _patterns(resolver: URLResolver) -> Iterator[URLPattern]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        else:
            yield pattern


@functools.cache
def _detail_routes() -> dict[type[Model], tuple[str, str, str]]:
    """Each model with a detail endpoint: (route name, lookup field, URL keyword), read once
    from the API's routers, so a new viewset gets its Location with nothing to register."""
    routes: dict[type[Model], tuple[str, str, str]] = {}
    for pattern in _patterns(get_resolver()):
        view = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        if (
            view is None
            or actions.get("get") != "retrieve"
            or "format" in pattern.pattern.regex.groupindex
        ):
            continue
        queryset = getattr(view, "queryset", None)
        meta = getattr(getattr(view, "serializer_class", None), "Meta", None)
        model = (
            getattr(queryset, "model", None)
            or getattr(view, "model", None)
            or getattr(meta, "model", None)
        )
        if model is None or model in routes:
            continue
        lookup = getattr(view, "lookup_field", "pk")
        routes[model] = (
            f"api:{pattern.name}",
            lookup,
            getattr(view, "lookup_url_kwarg", None) or lookup,
        )
    return routes


def detail_url(obj: Model) -> str | None:
    """The API path of one row's detail endpoint, or None when its model has none."""
    route = _detail_routes().get(type(obj))
    if route is None:
        return None
    name, field, kwarg = route
    return reverse(name, kwargs={kwarg: getattr(obj, field)})


def _created(result: Any) -> Model | None:
    """The row a service made: its return value, or the first row of a tuple it returned."""
    candidates = result if isinstance(result, tuple) else (result,)
    return next((value for value in candidates if isinstance(value, Model)), None)


class ServiceCallMixin(_ViewBase):
    """For viewsets: run a service as the caller, turning its Django errors into API errors
    (403, 409 for the `conflict_errors` a viewset names, 400 otherwise; all problem JSON), so
    every app's API calls services the same way.

    Being the one door, it also gives partners what every write promises: each POST takes an
    `Idempotency-Key` (patio.idempotency; `idempotent_posts = False` where the answer must not be
    kept), every 201 carries a `Location` (the detail endpoint of the row the service made; the
    request's own path when that row has none), and a detail read reports the row's
    `updated_at` as `Last-Modified` (patio.middleware.ApiHeadersMiddleware answers conditional
    requests with it)."""

    conflict_errors: tuple[type[Exception], ...] = ()
    # POSTs take an Idempotency-Key (patio.idempotency); off where the answer must not be kept.
    idempotent_posts = True
    _service_result: Any = None

    def get_object(self) -> Any:
        obj = super().get_object()
        stamp = getattr(obj, "updated_at", None)
        if isinstance(stamp, datetime):
            _http_request(self.request).patio_last_modified = stamp  # type: ignore[attr-defined]
        return obj

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        handler: Callable[..., Any] | None = getattr(self, "post", None)  # set by as_view
        if request.method == "POST" and self.idempotent_posts and handler is not None:
            # Every POST takes an Idempotency-Key (patio.idempotency); DRF looks the handler up
            # after initial(), so the wrapped one runs.
            from patio.idempotency import once

            def post(request: Request, *args: Any, **kwargs: Any) -> Any:
                return once(
                    request, lambda: self._located(request, handler(request, *args, **kwargs))
                )

            setattr(self, "post", post)  # noqa: B010

    def _located(self, request: Request, response: Any) -> Any:
        if response.status_code == 201 and not response.has_header("Location"):
            created = _created(self._service_result)
            path = (detail_url(created) if created is not None else None) or request.path
            response["Location"] = request.build_absolute_uri(path)
        return response

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        return self._located(request, response)  # type: ignore[no-any-return]

    def call(self, service: Callable[..., _T], **kwargs: Any) -> _T:
        try:
            result = service(actor=self.request.user, **kwargs)
            self._service_result = result
            return result
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from None
        except self.conflict_errors as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise Conflict(" ".join(messages)) from None
        except DjangoValidationError as error:
            raise as_api_error(error) from None

    def validated(
        self,
        serializer_class: type[serializers.BaseSerializer[Any]],
        instance: Any = None,
        *,
        partial: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The request body, validated by an input serializer (400 problem JSON when it is
        not valid), as the keyword arguments a service takes."""
        data = serializer_class(instance, data=self.request.data, partial=partial, **kwargs)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


class SignInRequired(permissions.BasePermission):
    """For endpoints only members may read: an anonymous caller gets 401 problem JSON, never an
    empty list it could take for "nothing there". Add it after the default permission (the
    token scope check), e.g. `permission_classes = [TokenScopePermission, SignInRequired]`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        # Refusing an anonymous caller is a 401: DRF answers NotAuthenticated when nobody signed in.
        return bool(request.user and request.user.is_authenticated)


class RateLimitReportMixin:
    """For throttles: tell the caller their budget (the IETF RateLimit header fields). Each
    throttle that counts the request leaves (limit, remaining, seconds to reset) on it, and
    patio.middleware.ApiHeadersMiddleware writes the tightest one into the answer."""

    num_requests: int | None
    duration: int | None
    history: list[float]
    now: float

    def allow_request(self, request: Any, view: Any) -> bool:
        self.history = []
        allowed: bool = super().allow_request(request, view)  # type: ignore[misc]
        if self.num_requests is not None and self.duration and getattr(self, "key", None):
            report_rate_limit(request, self.num_requests, self.history, self.now, self.duration)
        return allowed


def report_rate_limit(
    request: Any, limit: int, history: list[float], now: float, duration: int
) -> None:
    remaining = max(0, limit - len(history))
    reset = math.ceil(duration - (now - history[-1])) if history else duration
    reports = getattr(_http_request(request), "patio_rate_limits", None)
    if reports is None:
        reports = []
        _http_request(request).patio_rate_limits = reports  # type: ignore[attr-defined]
    reports.append((limit, remaining, max(0, reset)))
