"""Agenda sources: other parts of the platform put items forward for an assembly's agenda.

An app above assemblies registers a source in its AppConfig.ready():

    from assemblies.hooks import AgendaProposal, register_agenda_source

    def unresolved_amendments(assembly):
        return [AgendaProposal(key=f"amendment-{a.pk}", kind="decision", title=a.title) for a in ...]

    register_agenda_source("policies", unresolved_amendments)

Building the agenda calls every source; each item is stored under "<source>:<key>", so building
it again never adds an item twice, and an item the facilitator edited or reordered stays as is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patio.hooks import Slot

if TYPE_CHECKING:
    from assemblies.models import Assembly, Decision


@dataclass(frozen=True)
class AgendaProposal:
    key: str
    title: str
    kind: str = "discussion"  # AgendaItem.Kind value
    description: str = ""
    time_box_minutes: int = 10
    proposer_id: int | None = None


AgendaSource = Callable[["Assembly"], list[AgendaProposal]]
_sources: dict[str, AgendaSource] = {}


def register_agenda_source(name: str, source: AgendaSource) -> AgendaSource:
    if ":" in name:
        raise ValueError("A source name cannot contain ':'")
    _sources[name] = source
    return source


def unregister_agenda_source(name: str) -> None:
    _sources.pop(name, None)


def agenda_sources() -> dict[str, AgendaSource]:
    return dict(_sources)


# Decision listeners: an app above assemblies reacts when a decision is recorded (a policy
# amendment the assembly adopted or rejected). Called inside the recording transaction, so a
# listener's failure undoes the decision too.
DecisionListener = Callable[["Decision"], None]
_decision_listeners: dict[str, DecisionListener] = {}


def register_decision_listener(name: str, listener: DecisionListener) -> DecisionListener:
    _decision_listeners[name] = listener
    return listener


def decision_listeners() -> list[DecisionListener]:
    return list(_decision_listeners.values())


# A slot on a member's assembly page for apps above assemblies (the discussions of its agenda
# items): `assembly_page.register(section)`, section(request, assembly) -> HTML or "".
assembly_page: Slot[[Assembly]] = Slot("assembly page")
