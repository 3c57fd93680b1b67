"""Slots on an opportunity's and a project's page that apps above projects fill (projects
imports none of them).

    from projects.hooks import opportunity_page, project_page
    opportunity_page.register(my_section)  # my_section(request, opportunity) -> str or ""
    project_page.register(my_section)  # my_section(request, project) -> str or ""

Each section must run a constant number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patio.hooks import Slot

if TYPE_CHECKING:
    from projects.models import Opportunity, Project

opportunity_page: Slot[[Opportunity]] = Slot("opportunity page")
project_page: Slot[[Project]] = Slot("project page")
