"""The discussions endpoints of API v1 (mounted under /api/v1/ by patio/urls.py).

Reads are scoped to the caller by `discussions.selectors` (visitors and partner tools read
public threads); people of the network start threads and reply. Every write goes through
`discussions.services` by `ServiceCallMixin.call`: refusals are problem JSON, a closed thread
answers 409."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from assemblies.models import AgendaItem
from assemblies.permissions import can_view_assemblies
from circles.selectors import circle_detail
from discussions import selectors, services
from discussions.filters import ThreadFilter
from discussions.models import Comment, Thread
from discussions.search import search_threads
from discussions.serializers import CommentIn, CommentOut, ThreadIn, ThreadOut
from patio.api import ServiceCallMixin
from policies.selectors import visible_policies
from projects.selectors.opportunities import opportunities_visible_to


class ThreadApiFilter(ThreadFilter):
    """The page's filters. A search keeps the list's own order, so its pages stay stable."""

    def filter_search(self, queryset, name, value):
        return queryset.filter(pk__in=search_threads(queryset, value).values("pk"))


def _subject(user, data: dict) -> dict:
    """The subject named in the body, as the caller may see it (else a 404)."""
    subject = {}
    if data.get("circle") is not None:
        if not circle_detail(user).filter(pk=data["circle"].pk).exists():
            raise Http404
        subject["circle"] = data["circle"]
    if data.get("policy") is not None:
        if not visible_policies(user).filter(pk=data["policy"].pk).exists():
            raise Http404
        subject["policy"] = data["policy"]
    if data.get("opportunity") is not None:
        found = opportunities_visible_to(user).filter(pk=data["opportunity"]).first()
        if found is None:
            raise Http404
        subject["opportunity"] = found
    if data.get("agenda_item") is not None:
        item = AgendaItem.objects.filter(pk=data["agenda_item"]).first()
        if item is None or not can_view_assemblies(user):
            raise Http404
        subject["agenda_item"] = item
    return subject


@extend_schema_view(
    list=extend_schema(
        summary="List discussions",
        description="Most recently active first, as the caller may read them: visitors public "
        "threads, members network threads too, circle members their circles' threads. "
        "`unread` counts others' comments since the caller last read each thread.",
    ),
    retrieve=extend_schema(summary="One discussion"),
    create=extend_schema(
        summary="Start a discussion (in the network, a circle, or about one subject)",
        request=ThreadIn,
        responses={201: ThreadOut},
    ),
)
class ThreadViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ThreadOut
    filterset_class = ThreadApiFilter
    ordering_fields = ["last_activity_at", "created_at", "id"]
    ordering = ["-last_activity_at", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    conflict_errors = (services.ThreadClosed,)

    def get_queryset(self) -> QuerySet[Thread]:
        return selectors.thread_list(self.request.user)

    def _signed_in(self, request: Request) -> None:
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated

    def create(self, request, *args, **kwargs):
        self._signed_in(request)
        data = ThreadIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        subject = _subject(request.user, values)
        thread = self.call(
            services.thread_start,
            title=values["title"],
            body=values["body"],
            visibility=values.get(
                "visibility",
                Thread.Visibility.CIRCLE if "circle" in subject else Thread.Visibility.NETWORK,
            ),
            **subject,
        )
        found = selectors.thread_list(request.user).get(pk=thread.pk)
        return Response(
            ThreadOut(found, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        operation_id="discussions_replies_read",
        summary="Every comment of a discussion, the opening post first",
        description="A hidden comment's `body` is empty and `hidden_reason` says why.",
        responses=CommentOut(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Reply to a discussion, or to one of its replies",
        request=CommentIn,
        responses={201: CommentOut},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def replies(self, request, pk=None):
        thread = self.get_object()
        if request.method == "GET":
            comments = selectors.comments_of(thread)
            return Response(CommentOut(comments, many=True).data)
        self._signed_in(request)
        data = CommentIn(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data.get("reply_to") is not None:
            parent = Comment.objects.filter(
                pk=data.validated_data["reply_to"], thread=thread
            ).first()
            if parent is None:
                raise Http404
        comment = self.call(
            services.comment_post, thread=thread, body=data.validated_data["body"], parent=parent
        )
        return Response(CommentOut(comment).data, status=status.HTTP_201_CREATED)


router = SimpleRouter(trailing_slash=True)
router.register("discussions", ThreadViewSet, basename="discussion")
urlpatterns = router.urls
