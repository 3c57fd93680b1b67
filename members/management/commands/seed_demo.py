"""Load the demo network, or a large generated one for benchmarks.

    manage.py seed_demo
        The demo network `make run` serves: each app adds its part through its `demo.seed()`,
        the directory first (`members/demo.py`: about 100 co-ops in 26 countries, 2,000 people
        and three demo accounts), then circles, opportunities, assemblies, policies and the fund.
        Idempotent: a second run creates nothing and changes nothing.

    manage.py seed_demo --organisations 100000 --people 1000000
        Generated organisations and people for benchmarks (`members/demo_bulk.py`), inserted in
        batches and topped up to the numbers given. No demo accounts.

Everything is drawn from fixed random seeds, so the same command builds the same network.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from members import demo_bulk, demo_data, selectors


class Command(BaseCommand):
    @property  # translated when asked for, in the reader's language
    def help(self) -> str:  # type: ignore[override]  # BaseCommand has a plain attribute
        return _(
            "Load the demo network (about 100 co-ops in 26 countries, 2,000 people and three "
            "demo accounts), or with --organisations/--people a large generated network for "
            "benchmarks. Running it again creates nothing that already exists."
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--organisations",
            type=int,
            metavar="N",
            help=_("Generate N organisations (slugs bulk-1 to bulk-N) instead of the demo."),
        )
        parser.add_argument(
            "--people",
            type=int,
            metavar="M",
            help=_("Top the people of the generated organisations up to M."),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help=_("Rows per insert batch in bulk mode."),
        )

    def handle(
        self,
        *args: Any,
        organisations: int | None = None,
        people: int | None = None,
        batch_size: int = 5000,
        **options: Any,
    ) -> None:
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        if organisations is None and people is None:
            self.seed_demo()
        else:
            if (organisations or 0) < 0 or (people or 0) < 0 or batch_size < 1:
                raise CommandError(_("The numbers must be positive."))
            if organisations is None:
                organisations = max(1, -(-(people or 0) // 10))
            if people is None:
                people = organisations * 10
            if people and not organisations:
                raise CommandError(_("People need organisations: give --organisations too."))
            demo_bulk.seed(
                organisations=organisations,
                people=people,
                batch_size=batch_size,
                say=self.say,
                show_progress=self.verbosity >= 1,
            )
        selectors.directory_changed()  # bulk writes send no signals
        self.say(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def say(self, message: str, style: Callable[[str], str] | None = None) -> None:
        if self.verbosity >= 1:
            self.stdout.write(style(message) if style else message)

    @transaction.atomic
    def seed_demo(self) -> None:
        """Each app adds its part through `<app>/demo.py: seed(say=…)`, in INSTALLED_APPS
        order (the directory first, circles before the opportunities they post). Found through
        the app registry, so no app imports the apps above it to seed them."""
        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").seed(say=self.say)
        self.say(
            _("Demo accounts, all with the password “%(password)s”:")
            % {"password": demo_data.DEMO_PASSWORD}
        )
        labels = {
            "admin": _("Network admin"),
            "coordinator": _("Circle coordinator"),
            "member": _("Member"),
        }
        for account in demo_data.DEMO_ACCOUNTS:
            self.say(f"  {labels[account.role]:<22} {account.email}", self.style.SUCCESS)
