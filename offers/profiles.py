"""Open public offers and wants on Murmurations: the second kind of profile
(`murmurations.profiles`), `offers_wants_schema-v0.1.0`, at `/murmurations/offers/<id>.json`.

A fulfilled or expired public post answers 410 Gone, so the index drops it; a members-only or
unknown one answers 404. The schema's required `contact_details` is the post's page, where a
member replies through the form: no one's email address is published. What the schema asks and
the post does not say is derived from its kind (documented in docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy

from members.models import Skill
from members.vocabulary import by_name
from murmurations.profiles import Profile, ProfileKind, register_kind
from offers.models import Post, Tag
from offers.selectors import closed_public_posts, public_posts
from patio.linked_data import absolute, plain_text

KEY = "offers"
SCHEMA = "offers_wants_schema-v0.1.0"
SCOPES = {
    Post.Scope.LOCAL: "local",
    Post.Scope.REGIONAL: "regional",
    Post.Scope.GLOBAL: "international",
}
# A room and a tool are goods that change hands for a while; the rest is work done.
ITEM_TYPES = {Post.Kind.TOOL: "good", Post.Kind.ROOM: "good"}
TRANSACTIONS = {
    Post.Kind.TOOL: "borrow-lend",
    Post.Kind.ROOM: "rent-lease",
    Post.Kind.MENTORING: "receive-donate",
    Post.Kind.CAPACITY: "buy-sell",
    Post.Kind.SUBCONTRACTING: "buy-sell",
}


def rows(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("skills", queryset=by_name(Skill.objects.all())),
    )


def expires_at(day: dt.date) -> int:
    """The end of a post's last day (UTC), in Unix seconds, as Murmurations writes a time."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return int(end.timestamp())


def profile(post: Post) -> Profile:
    with translation.override(settings.LANGUAGE_CODE):
        page = absolute(post.get_absolute_url())
        tags = [tag.name for tag in post.tags.all()] + [skill.name for skill in post.skills.all()]
        built: dict[str, Any] = {
            "linked_schemas": [SCHEMA],
            "exchange_type": post.exchange,
            "item_type": ITEM_TYPES.get(Post.Kind(post.kind), "service"),
            "transaction_type": [TRANSACTIONS[Post.Kind(post.kind)]],
            "tags": list(dict.fromkeys([str(post.get_kind_display()), *tags])),
            "title": post.title,
            "description": plain_text(post.description) or post.title,
            "details_url": page,
            "geographic_scope": SCOPES[Post.Scope(post.scope)],
            "contact_details": {"contact_form": page},
            "expires_at": expires_at(post.ends_on),
        }
    return built


def register() -> ProfileKind:
    return register_kind(
        ProfileKind(
            key=KEY,
            label=gettext_lazy("offer or want"),
            schema=SCHEMA,
            public=public_posts,
            build=profile,
            rows=rows,
            gone=closed_public_posts,
        )
    )
