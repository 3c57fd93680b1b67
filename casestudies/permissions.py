"""Who may do what with case studies. Pages and the API both ask these functions.

- Everyone reads published case studies. A draft or a withdrawn one is read by the project's
  team (its leads and the people who worked in it) and network admins only.
- A case study is drafted from a finished project by one of its leads (or a network admin),
  and only they edit it, record the client's permission and publish or withdraw it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from members.permissions import is_network_admin, person_of
from projects import permissions as project_permissions
from projects.models import Project, TeamMembership

if TYPE_CHECKING:
    from accounts.models import AnyUser, User
    from casestudies.models import CaseStudy

# The people who worked in a team: seats accepted, and those who left after working in them.
WORKED = (TeamMembership.Status.ACCEPTED, TeamMembership.Status.LEFT)


def is_lead(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    person = person_of(user)
    return person is not None and any(lead.pk == person.pk for lead in project.leads.all())


def is_team_member(user: AnyUser | None, project: Project) -> bool:
    person = person_of(user)
    return (
        person is not None and project.memberships.filter(person=person, status__in=WORKED).exists()
    )


def can_view_case_study(user: AnyUser | None, case_study: CaseStudy) -> bool:
    if case_study.is_published or is_network_admin(user):
        return True
    return is_lead(user, case_study.project) or is_team_member(user, case_study.project)


def can_draft_from(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    """Whether `user` may draft the case study of `project` (it must be finished, too)."""
    return is_network_admin(user) or is_lead(user, project)


def can_edit_case_study(user: AnyUser | None, case_study: CaseStudy) -> TypeGuard[User]:
    """Write the story and outcome, record the permission, publish and withdraw."""
    return is_network_admin(user) or is_lead(user, case_study.project)


def can_view_software_used(user: AnyUser | None, project: Project) -> bool:
    """The software a project uses is read by whoever may read the project."""
    return project_permissions.can_view_project(user, project)


def can_change_software_used(user: AnyUser | None, project: Project) -> TypeGuard[User]:
    """Add or remove it: the project's leads, coordinators of its circle and network admins
    (whoever manages the project)."""
    return project_permissions.can_manage_project(user, project)
