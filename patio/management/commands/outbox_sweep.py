"""`manage.py outbox_sweep`: relay the outbox's pending tasks now, as beat does every 30 s
(patio.outbox.sweep); for after an outage, or where beat does not run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patio import outbox


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand has a plain attribute
        return _("Hand the outbox's pending tasks to the broker, and prune old relayed ones.")

    def handle(self, *args: Any, **options: Any) -> None:
        published = outbox.sweep()
        left = outbox.backlog().pending
        self.stdout.write(
            ngettext("%(count)d task relayed", "%(count)d tasks relayed", published)
            % {"count": published}
            + "; "
            + ngettext("%(count)d still pending.", "%(count)d still pending.", left)
            % {"count": left}
        )
