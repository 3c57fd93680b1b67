from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = _("Offers and wants")

    def ready(self) -> None:
        from members.hooks import WAITING, register_home_section
        from offers import emails, profiles
        from offers.sections import home_replies_section

        emails.register_kinds()
        profiles.register()
        register_home_section(home_replies_section, slot=WAITING, order=80)
        _track_deletions()


def _track_deletions() -> None:
    from offers.models import Post, SavedSearch
    from offers.selectors import posts_visible_to
    from sync.models import Tombstone
    from sync.resources import Resource, public_if_visitors_see, register_resource

    register_resource(Post, Resource("offers", "id", public_if_visitors_see(posts_visible_to)))
    # A saved search is its owner's alone: so is the news that it went.
    register_resource(
        SavedSearch,
        Resource(
            "offers/searches",
            "id",
            lambda search: (Tombstone.Audience.PRIVATE, search.person.user_id),
        ),
    )
