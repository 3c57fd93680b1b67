from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("network/", views.network, name="network"),
    path("coops/", views.organisation_list, name="organisations"),
    path("coops.csv", views.organisation_list_csv, name="organisations_csv"),
    path("coops/new/", views.organisation_new, name="organisation_new"),
    path("coops/suggest/", views.coop_suggestions, name="coop_suggestions"),
    path("coops/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("coops/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "coops/<slug:slug>/invitations/",
        views.organisation_invitations,
        name="organisation_invitations",
    ),
    path(
        "coops/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("people/", views.person_list, name="people"),
    path("people.csv", views.person_list_csv, name="people_csv"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/coop-admin/", views.person_coop_admin, name="person_coop_admin"),
    path("me/", views.profile_edit, name="profile"),
    path("me/emails/", views.email_preferences, name="email_preferences"),
    path("emails/unsubscribe/<str:token>/", views.email_unsubscribe, name="email_unsubscribe"),
    path("join/<str:token>/", views.invitation_landing, name="invitation"),
]
