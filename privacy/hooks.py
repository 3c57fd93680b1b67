"""What privacy offers the apps above it, so it imports none of them.

- **Export sections.** An app whose records belong to a person adds them to that person's data
  download: `register_export_section(Section("name", read))` in its AppConfig.ready(), where
  `read(person)` returns the rows (`privacy.selectors.Section`). The download lists them after
  privacy's own sections, in registration order.
- **Erasure listeners.** An app that must do something when a person is erased (forget records
  that are only theirs) registers `register_erasure_listener("name", listener)`; `person_erase`
  calls `listener(person=…, actor=…)` inside its transaction, before the person is
  pseudonymised, so a listener's failure undoes the erasure too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User
    from members.models import Person
    from privacy.selectors import Section

_sections: dict[str, Section] = {}

ErasureListener = Callable[..., object]
_erasure_listeners: dict[str, ErasureListener] = {}


def register_export_section(section: Section) -> Section:
    """Add a section to every person's download. Registering a name again replaces it."""
    _sections[section.name] = section
    return section


def export_sections() -> tuple[Section, ...]:
    return tuple(_sections.values())


def register_erasure_listener(name: str, listener: ErasureListener) -> ErasureListener:
    _erasure_listeners[name] = listener
    return listener


def erasure_listeners() -> list[ErasureListener]:
    return list(_erasure_listeners.values())


def erased(*, person: Person, actor: User) -> None:
    """Tell every listener that this person is being erased (person_erase calls it)."""
    for listener in erasure_listeners():
        listener(person=person, actor=actor)
