"""REST API v1 for the knowledge hub (mounted under /api/v1/ by patio/urls.py): the same
selectors, filters, permissions and services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.api_auth import TokenScopePermission
from hub import selectors, services
from hub.filters import GuideFilter
from hub.models import Guide, LearningPath
from hub.serializers import (
    GuideDoneIn,
    GuideDoneOut,
    GuideIn,
    GuideOut,
    GuideSendBackIn,
    GuideTranslationIn,
    GuideTranslationOut,
    GuideTranslationUpdateIn,
    GuideUpdateIn,
    LearningPathChangeIn,
    LearningPathIn,
    LearningPathOut,
    PathGuideDoneIn,
    PathProgressOut,
)
from patio.api import ServiceCallMixin, SignInRequired
from patio.api_translations import LANGUAGE_PATH_PARAMETER, TranslationActions

WORKFLOW = (
    "A guide goes draft → in review (by the members of its `reviewer_circle`) → published; a "
    "reviewer may send it back with a comment, which makes it a draft again."
)


@extend_schema_view(
    list=extend_schema(
        summary="List guides: published ones, and the caller's drafts and guides to review",
        description=WORKFLOW + " Visitors see published guides only. Filter by `q` (full "
        "text, in every language the guide exists in), `category`, `tag` (slug) and "
        "`language` (written in it or translated into it).",
    ),
    retrieve=extend_schema(summary="One guide, with its translations"),
    create=extend_schema(
        summary="Start a guide: a draft only its author sees (members)",
        description=WORKFLOW,
        request=GuideIn,
        responses={201: GuideOut},
    ),
    partial_update=extend_schema(
        summary="Edit a draft (its authors) or any guide (network admins)",
        description="A change of title, summary or body is a new `revision`: translations made "
        "before it are then `outdated`. The reading time is counted from the body.",
        request=GuideUpdateIn,
        responses={200: GuideOut},
    ),
    translate=extend_schema(
        summary="Translate the guide into another language (whoever may edit it; its reviewers "
        "once it is published)",
        operation_id="guides_translations_create",
        request=GuideTranslationIn,
        responses={201: GuideTranslationOut},
    ),
    update_translation=extend_schema(
        summary="Update a translation: it is then made from the original's current revision",
        operation_id="guides_translations_update",
        request=GuideTranslationUpdateIn,
        responses=GuideTranslationOut,
        parameters=[LANGUAGE_PATH_PARAMETER],
    ),
)
class GuideViewSet(
    TranslationActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = GuideOut
    filterset_class = GuideFilter
    lookup_field = "slug"
    ordering_fields = ["id", "published_at", "title"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    translated_as = "guide"
    translation_services = services
    translation_in = GuideTranslationIn
    translation_update_in = GuideTranslationUpdateIn
    translation_out = GuideTranslationOut
    translation_missing = _lazy("This guide has no translation into that language.")

    def get_queryset(self):
        return selectors.guide_api_list(self.request.user)

    def _out(self, guide: Guide, code: int = status.HTTP_200_OK) -> Response:
        # Read again as it is now; a reviewer who sent it back sees the guide they acted on.
        fresh = selectors.with_everything(Guide.objects.filter(pk=guide.pk)).get()
        return Response(GuideOut(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        fields = self.validated(GuideIn)
        guide = self.call(services.guide_create, **fields)
        return self._out(guide, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        guide = self.get_object()
        fields = self.validated(GuideUpdateIn, partial=True)
        self.call(services.guide_update, guide=guide, **fields)
        return self._out(guide)

    @extend_schema(
        summary="Send a draft for review by its circle (its authors)",
        request=None,
        responses=GuideOut,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, slug=None):
        guide = self.call(services.guide_submit, guide=self.get_object())
        return self._out(guide)

    @extend_schema(
        summary="Publish a guide in review (members of its reviewing circle who did not write "
        "it, or network admins)",
        request=None,
        responses=GuideOut,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        guide = self.call(services.guide_publish, guide=self.get_object())
        return self._out(guide)

    @extend_schema(
        summary="Send a guide in review back to its authors, with a comment (its reviewers)",
        request=GuideSendBackIn,
        responses=GuideOut,
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, slug=None):
        guide = self.get_object()
        fields = self.validated(GuideSendBackIn)
        guide = self.call(services.guide_send_back, guide=guide, **fields)
        return self._out(guide)

    @extend_schema(
        summary="Take a published guide back to a draft, to revise it (its authors)",
        request=None,
        responses=GuideOut,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, slug=None):
        guide = self.call(services.guide_withdraw, guide=self.get_object())
        return self._out(guide)

    @extend_schema(
        summary="Mark a published guide done, or not done, for yourself",
        request=GuideDoneIn,
        responses=GuideDoneOut,
    )
    @action(detail=True, methods=["post"])
    def done(self, request, slug=None):
        guide = self.get_object()
        fields = self.validated(GuideDoneIn)
        self.call(services.guide_mark_done, guide=guide, done=fields["done"])
        return Response({"guide": guide.slug, "done": fields["done"]})


PATHS = (
    "Learning paths are put together by network admins and circle coordinators, from published "
    "guides; a person marks a guide done once, and it counts in every path that holds it."
)


@extend_schema_view(
    list=extend_schema(
        summary="List learning paths, each with its guides in order and those the caller did",
        description=PATHS,
    ),
    retrieve=extend_schema(summary="One learning path"),
    create=extend_schema(
        summary="Put a learning path together (network admins and circle coordinators)",
        description=PATHS,
        request=LearningPathIn,
        responses={201: LearningPathOut},
    ),
    partial_update=extend_schema(
        summary="Rename a learning path, or reorder, add or drop its guides (network admins "
        "and circle coordinators)",
        description="Only the fields sent change; `guides`, when sent, is the whole list in "
        "its new order. Done marks stay with the people who made them.",
        request=LearningPathChangeIn,
        responses=LearningPathOut,
    ),
)
class LearningPathViewSet(
    ServiceCallMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = LearningPathOut
    lookup_field = "slug"
    ordering_fields = ["id", "title"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.path_list(self.request.user)

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "done": selectors.done_guide_ids(self.request.user),
        }

    def _out(self, path: LearningPath, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.path_list(self.request.user).get(pk=path.pk)
        return Response(LearningPathOut(fresh, context=self.get_serializer_context()).data, code)

    def create(self, request, *args, **kwargs):
        fields = self.validated(LearningPathIn)
        path = self.call(services.path_create, **fields)
        return self._out(path, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        path = self.get_object()
        fields = self.validated(LearningPathChangeIn)
        current = {
            "title": path.title,
            "description": path.description,
            "suggested_to_newcomers": path.suggested_to_newcomers,
            "guides": [step.guide for step in path.visible_steps],
        }
        self.call(services.path_update, path=path, **(current | fields))
        return self._out(path)

    def _progress(self, request: Request, path: LearningPath) -> Response:
        done = selectors.done_guide_ids(request.user)
        steps = path.visible_steps  # type: ignore[attr-defined]
        progress = selectors.progress(path, done)
        body = {
            "path": path.slug,
            "guides": [step.guide.slug for step in steps],
            "guides_done": [step.guide.slug for step in steps if step.guide_id in done],
            "done_count": progress.done,
            "total": progress.total,
            "percent": progress.percent,
            "finished": progress.finished,
        }
        return Response(PathProgressOut(body).data)

    @extend_schema(
        methods=["GET"],
        summary="Your own progress along a learning path",
        responses=PathProgressOut,
    )
    @extend_schema(
        methods=["POST"],
        summary="Mark one of the path's guides done, or not done, for yourself",
        description="Marking a guide as it is already marked changes nothing. The mark is the "
        "guide's: it counts in every path that holds it.",
        request=PathGuideDoneIn,
        responses=PathProgressOut,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        permission_classes=[TokenScopePermission, SignInRequired],
    )
    def progress(self, request, slug=None):
        path = self.get_object()
        if request.method == "POST":
            fields = self.validated(PathGuideDoneIn, context={"path": path})
            self.call(services.guide_mark_done, guide=fields["guide"], done=fields["done"])
        return self._progress(request, path)


router = SimpleRouter(trailing_slash=True)
router.register("guides", GuideViewSet, basename="guide")
router.register("learning-paths", LearningPathViewSet, basename="learning-path")
urlpatterns = router.urls
