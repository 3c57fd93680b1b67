from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed webhooks for partner tools. The apps above register the kinds of event they emit
    (webhooks.events), so this app knows none of them."""

    name = "webhooks"
    verbose_name = _("Webhooks")
