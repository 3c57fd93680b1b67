"""The polls endpoints of API v1 (mounted under /api/v1/ by patio/urls.py).

Members (and their tokens) read polls; voting, delegating, closing and recording the outcome go through
`polls.services` by `ServiceCallMixin.call`: refusals are problem JSON, a closed poll answers
409. No endpoint names a voter."""

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
from patio.api import ServiceCallMixin, SignInRequired
from polls import selectors, services
from polls.models import Poll, PollDelegation
from polls.serializers import (
    OutcomeIn,
    PollDelegationIn,
    PollDelegationOut,
    PollIn,
    PollOut,
    VoteIn,
)


@extend_schema_view(
    list=extend_schema(
        summary="List polls",
        description="Newest first, open and closed, for members. Results are null while a poll "
        "hides them.",
    ),
    retrieve=extend_schema(summary="One poll, with its count when the caller may see it"),
    create=extend_schema(
        summary="Open a poll, in the network or in one of the caller's circles",
        request=PollIn,
        responses={201: PollOut},
    ),
)
class PollViewSet(
    ServiceCallMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PollOut
    permission_classes = [TokenScopePermission, SignInRequired]
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "closes_at", "id"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    conflict_errors = (services.PollClosed,)

    def get_queryset(self) -> QuerySet[Poll]:
        return selectors.poll_detail(self.request.user)

    def _signed_in(self, request: Request) -> None:
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        polls = selectors.with_counts(list(page or []))
        data = PollOut(polls, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def create(self, request, *args, **kwargs):
        self._signed_in(request)
        fields = self.validated(PollIn)
        fields["options"] = [option["label"] for option in fields["options"]]
        poll = self.call(services.poll_create, **fields)
        return self._out(poll.pk, status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        poll = selectors.with_counts([self.get_object()])[0]
        return Response(PollOut(poll, context={"request": request}).data)

    def _out(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        poll = self.get_queryset().get(pk=pk)
        return Response(PollOut(poll, context={"request": self.request}).data, status=code)

    @extend_schema(
        summary="Vote, or change one's vote, while the poll is open",
        request=VoteIn,
        responses=PollOut,
    )
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        self._signed_in(request)
        poll = self.get_object()
        data = VoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        self.call(services.vote_cast, poll=poll, answer=data.validated_data["answer"])
        return self._out(poll.pk)

    @extend_schema(
        methods=["post"],
        summary="Give your vote in this poll to another of its voters, while it is open",
        description="Refused in an anonymous poll (the delegation would show who voted), to "
        "someone who has delegated, by someone who carries a vote, and past the number of "
        "votes one person may carry. Your own ballot, if you vote, counts instead.",
        request=PollDelegationIn,
        responses={201: PollDelegationOut},
    )
    @extend_schema(
        methods=["delete"],
        summary="Revoke your delegation, until the poll closes",
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["post", "delete"])
    def delegation(self, request, pk=None):
        self._signed_in(request)
        poll = self.get_object()
        if request.method == "DELETE":
            self.call(services.poll_delegation_revoke, poll=poll)
            return Response(status=status.HTTP_204_NO_CONTENT)
        fields = self.validated(PollDelegationIn)
        given = self.call(services.poll_delegate, poll=poll, delegate=fields["delegate"])
        row = PollDelegation.objects.select_related("delegator", "delegate").get(pk=given.pk)
        return Response(PollDelegationOut(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Close the poll early (its author)", request=None, responses=PollOut)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        self._signed_in(request)
        poll = self.get_object()
        self.call(services.poll_close, poll=poll)
        return self._out(poll.pk)

    @extend_schema(
        summary="Record the outcome of a closed poll (its author)",
        request=OutcomeIn,
        responses=PollOut,
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        self._signed_in(request)
        poll = self.get_object()
        data = OutcomeIn(data=request.data)
        data.is_valid(raise_exception=True)
        self.call(services.outcome_record, poll=poll, **data.validated_data)
        return self._out(poll.pk)


router = SimpleRouter(trailing_slash=True)
router.register("polls", PollViewSet, basename="poll")
urlpatterns = router.urls
