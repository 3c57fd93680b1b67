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
]
