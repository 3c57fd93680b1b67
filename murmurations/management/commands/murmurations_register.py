"""`manage.py murmurations_register`: ask for every profile whose registration is not what its
object says (all of them, the first time an index is set); the worker sends them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from murmurations.services import enabled, profiles_reconcile


class Command(BaseCommand):
    help = "Queue the registration with the Murmurations index of every profile not yet in step."

    def handle(self, *args: Any, **options: Any) -> None:
        if not enabled():
            raise CommandError(_("No Murmurations index is set (MURMURATIONS_INDEX_URL)."))
        asked = profiles_reconcile()
        self.stdout.write(_("%(count)d profiles queued.") % {"count": asked})
