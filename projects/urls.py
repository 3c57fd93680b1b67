from django.urls import path

from projects.feeds import OpenOpportunitiesFeed
from projects.views import matching_runs, opportunities, teams

app_name = "projects"

urlpatterns = [
    path("opportunities/", opportunities.opportunity_list, name="opportunities"),
    path("opportunities/new/", opportunities.opportunity_new, name="opportunity_new"),
    path("opportunities/role-row/", opportunities.role_row, name="role_row"),
    path("opportunities/mine/", opportunities.my_interests, name="my_interests"),
    path("opportunities/feed.atom", OpenOpportunitiesFeed(), name="feed"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path(
        "opportunities/<int:pk>/transition/",
        opportunities.opportunity_transition,
        name="opportunity_transition",
    ),
    path("opportunities/<int:pk>/interest/", opportunities.opportunity_interest, name="interest"),
    path(
        "opportunities/<int:pk>/interest/withdraw/",
        opportunities.opportunity_interest_withdraw,
        name="interest_withdraw",
    ),
    path(
        "opportunities/<int:pk>/team/",
        teams.project_from_opportunity,
        name="project_from_opportunity",
    ),
    path("projects/", teams.project_list, name="projects"),
    path("projects/mine/", teams.my_teams, name="my_teams"),
    path("projects/new/", teams.project_new, name="project_new"),
    path("projects/<int:pk>/", teams.project_detail, name="project"),
    path("projects/<int:pk>/edit/", teams.project_edit, name="project_edit"),
    path("projects/<int:pk>/roles/", teams.project_roles, name="project_roles"),
    path(
        "projects/<int:pk>/roles/<int:role_pk>/edit/",
        teams.team_role_edit,
        name="team_role_edit",
    ),
    path(
        "projects/<int:pk>/roles/<int:role_pk>/remove/",
        teams.team_role_remove,
        name="team_role_remove",
    ),
    path("projects/<int:pk>/matching/", matching_runs.matching, name="matching"),
    path("projects/<int:pk>/matching/run/", matching_runs.matching_run, name="matching_run"),
    path(
        "projects/<int:pk>/matching/runs/<int:run>/progress/",
        matching_runs.matching_progress,
        name="matching_progress",
    ),
    path("projects/<int:pk>/matching/swap/", matching_runs.matching_swap, name="matching_swap"),
    path(
        "projects/<int:pk>/matching/invite/", matching_runs.matching_invite, name="matching_invite"
    ),
    path(
        "team-memberships/<int:pk>/respond/",
        teams.membership_respond,
        name="membership_respond",
    ),
    path("team-invitations/<str:token>/", teams.invitation, name="invitation"),
]
