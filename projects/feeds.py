"""An Atom feed of the network's public, open job opportunities."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from projects.selectors.opportunities import public_open_opportunities

FEED_SIZE = 50


class OpenOpportunitiesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Patio: open job opportunities")
    subtitle = _("Work the network of worker co-operatives is looking for people to do.")

    def link(self):
        return reverse("projects:opportunities")

    def items(self):
        return public_open_opportunities()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text: the feed generator escapes it, so markup people typed stays inert.
        return Truncator(item.description).chars(1000)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.opened_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.circle.name

    def item_categories(self, item):
        return [item.circle.name]
