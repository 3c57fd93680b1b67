"""An Atom feed of the network's public, open job opportunities."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from projects.selectors.opportunities import public_open_opportunities

FEED_SIZE = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text: Django's marks them type="html", so a reader would
    turn the `<b>` or the link someone typed into a description into markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _on_site(path: str) -> str:
    """An address on SITE_URL, never on the Host a request came in with: the entries' ids
    must not change with the name a reader used to reach the site."""
    return settings.SITE_URL + path


class OpenOpportunitiesFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = _("Patio: open job opportunities")
    subtitle = _("Work the network of worker co-operatives is looking for people to do.")

    def link(self):
        return _on_site(reverse("projects:opportunities"))

    def feed_url(self):
        return _on_site(reverse("projects:feed"))

    def items(self):
        return public_open_opportunities()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text, marked type="text" (PlainTextAtomFeed): markup people typed stays inert.
        return Truncator(item.description).chars(1000)

    def item_link(self, item):
        return _on_site(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.opened_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.circle.name

    def item_categories(self, item):
        return [item.circle.name]
