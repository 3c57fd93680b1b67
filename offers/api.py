"""The offers and wants endpoints of API v1 (mounted under /api/v1/ by patio/urls.py).

Anyone reads open public posts (members and their tokens read every post); people of the
network post, reply and manage their posts. Every write goes through `offers.services` by
`ServiceCallMixin.call`: refusals are problem JSON, a closed post answers 409."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from offers import selectors, services
from offers.filters import PostFilter
from offers.models import Post, SavedSearch
from offers.search import search_posts
from offers.serializers import (
    PostChangeIn,
    PostIn,
    PostOut,
    ReplyIn,
    ReplyOut,
    SavedSearchChangeIn,
    SavedSearchIn,
    SavedSearchOut,
)
from patio.api import ServiceCallMixin, SignInRequired


class PostApiFilter(PostFilter):
    """The page's filters. A search keeps the list's own order, so its pages stay stable."""

    def filter_search(self, queryset, name, value):
        return queryset.filter(pk__in=search_posts(queryset, value).values("pk"))


def _split(data: dict) -> tuple[dict, list, list | None, bool]:
    data = dict(data)
    skills = data.pop("skills", None)
    tags = data.pop("tags", None)
    for_coop = data.pop("for_coop", False)
    return data, skills, tags, for_coop


@extend_schema_view(
    list=extend_schema(
        summary="List offers and wants",
        description="Newest first. Visitors read open public posts; members every post "
        "(filter with `state`).",
    ),
    retrieve=extend_schema(summary="One offer or want"),
    create=extend_schema(
        summary="Post an offer or a want", request=PostIn, responses={201: PostOut}
    ),
    partial_update=extend_schema(
        summary="Change an open post (its poster, its co-op's admins, network admins)",
        request=PostChangeIn,
        responses=PostOut,
    ),
)
class PostViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PostOut
    filterset_class = PostApiFilter
    ordering_fields = ["created_at", "ends_on", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    conflict_errors = (services.PostClosed,)

    def get_queryset(self) -> QuerySet[Post]:
        return selectors.post_list(self.request.user)

    def _signed_in(self, request: Request) -> None:
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated

    def _out(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        post = selectors.post_detail(self.request.user).get(pk=pk)
        return Response(PostOut(post, context={"request": self.request}).data, status=code)

    def create(self, request, *args, **kwargs):
        self._signed_in(request)
        data = self.validated(PostIn)
        fields, skills, tags, for_coop = _split(data)
        post = self.call(
            services.post_create,
            data=fields,
            skills=skills or [],
            tags=tags or [],
            for_coop=for_coop,
        )
        return self._out(post.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self._signed_in(request)
        post = self.get_object()
        data = self.validated(PostChangeIn)
        fields, skills, tags, _for_coop = _split(data)
        self.call(services.post_update, post=post, data=fields, skills=skills, tags=tags)
        return self._out(post.pk)

    @extend_schema(summary="Mark a post fulfilled", request=None, responses=PostOut)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        self._signed_in(request)
        post = self.get_object()
        self.call(services.post_fulfil, post=post)
        return self._out(post.pk)

    @extend_schema(
        summary="Reopen a fulfilled post before its end date", request=None, responses=PostOut
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        self._signed_in(request)
        post = self.get_object()
        self.call(services.post_reopen, post=post)
        return self._out(post.pk)

    @extend_schema(
        methods=["GET"],
        operation_id="offers_replies_read",
        summary="The replies to a post the caller may read",
        description="Every reply for those who manage the post; a replier's own otherwise.",
        responses=ReplyOut(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Reply to a post (emailed to the poster)",
        request=ReplyIn,
        responses={201: ReplyOut},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def replies(self, request, pk=None):
        self._signed_in(request)
        post = self.get_object()
        if request.method == "GET":
            replies = selectors.replies_visible_to(request.user, post)
            return Response(ReplyOut(replies, many=True).data)
        data = self.validated(ReplyIn)
        reply = self.call(services.reply_create, post=post, body=data["body"])
        return Response(ReplyOut(reply).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List your saved searches",
        description="Each sends a daily or weekly digest of the new open posts that meet every "
        "criterion it sets (offer or want, kind, country or global, any of its skills, any of "
        "its tags). Only their owner sees them: someone else's is a 404.",
    ),
    retrieve=extend_schema(summary="One of your saved searches"),
    create=extend_schema(
        summary="Save a search: its digest lists matching posts posted from now on",
        request=SavedSearchIn,
        responses={201: SavedSearchOut},
    ),
    partial_update=extend_schema(
        summary="Change one of your saved searches (only the fields sent change)",
        description="Posts a digest already listed are not sent again.",
        request=SavedSearchChangeIn,
        responses=SavedSearchOut,
    ),
    destroy=extend_schema(summary="Delete one of your saved searches: its digest stops"),
)
class SavedSearchViewSet(
    ServiceCallMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A person's saved searches, through the services the searches page uses."""

    serializer_class = SavedSearchOut
    permission_classes = [TokenScopePermission, SignInRequired]
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return selectors.saved_searches_of(self.request.user)

    def _out(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        search = selectors.saved_searches_of(self.request.user).get(pk=pk)
        return Response(SavedSearchOut(search).data, status=code)

    def create(self, request, *args, **kwargs):
        fields, skills, tags, _for_coop = _split(self.validated(SavedSearchIn))
        search = self.call(
            services.saved_search_create, data=fields, skills=skills or [], tags=tags or []
        )
        return self._out(search.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        search = self.get_object()
        fields, skills, tags, _for_coop = _split(self.validated(SavedSearchChangeIn))
        self.call(
            services.saved_search_update, search=search, data=fields, skills=skills, tags=tags
        )
        return self._out(search.pk)

    def destroy(self, request, *args, **kwargs):
        self.call(services.saved_search_delete, search=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(trailing_slash=True)
# Before the posts: `offers/searches/` is not the post with the id "searches".
router.register("offers/searches", SavedSearchViewSet, basename="offer-search")
router.register("offers", PostViewSet, basename="offer")
urlpatterns = router.urls
