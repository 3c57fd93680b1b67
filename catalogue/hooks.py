"""A slot that apps above the catalogue fill (the catalogue imports none of them): sections of
an entry's page, after what the entry says about itself (patio.hooks.Slot).

    from catalogue.hooks import software_page
    software_page.register(my_section)  # my_section(request, software) -> str (HTML) or ""
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patio.hooks import Slot

if TYPE_CHECKING:
    from catalogue.models import Software

software_page: Slot[[Software]] = Slot("catalogue entry page")
