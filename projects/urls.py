from django.urls import path

from projects import views
from projects.feeds import OpenOpportunitiesFeed

app_name = "projects"

urlpatterns = [
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/role-row/", views.role_row, name="role_row"),
    path("opportunities/mine/", views.my_interests, name="my_interests"),
    path("opportunities/feed.atom", OpenOpportunitiesFeed(), name="feed"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path(
        "opportunities/<int:pk>/transition/",
        views.opportunity_transition,
        name="opportunity_transition",
    ),
    path("opportunities/<int:pk>/interest/", views.opportunity_interest, name="interest"),
    path(
        "opportunities/<int:pk>/interest/withdraw/",
        views.opportunity_interest_withdraw,
        name="interest_withdraw",
    ),
    path(
        "opportunities/<int:pk>/team/",
        views.project_from_opportunity,
        name="project_from_opportunity",
    ),
    path("projects/", views.project_list, name="projects"),
    path("projects/mine/", views.my_teams, name="my_teams"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/roles/", views.project_roles, name="project_roles"),
    path(
        "projects/<int:pk>/roles/<int:role_pk>/edit/",
        views.team_role_edit,
        name="team_role_edit",
    ),
    path(
        "projects/<int:pk>/roles/<int:role_pk>/remove/",
        views.team_role_remove,
        name="team_role_remove",
    ),
    path("projects/<int:pk>/matching/", views.matching, name="matching"),
    path("projects/<int:pk>/matching/run/", views.matching_run, name="matching_run"),
    path(
        "projects/<int:pk>/matching/runs/<int:run>/progress/",
        views.matching_progress,
        name="matching_progress",
    ),
    path("projects/<int:pk>/matching/swap/", views.matching_swap, name="matching_swap"),
    path("projects/<int:pk>/matching/invite/", views.matching_invite, name="matching_invite"),
    path(
        "team-memberships/<int:pk>/respond/",
        views.membership_respond,
        name="membership_respond",
    ),
    path("team-invitations/<str:token>/", views.invitation, name="invitation"),
]
