from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("", views.circle_list, name="list"),
    path("new/", views.circle_new, name="new"),
    path("<slug:slug>/", views.circle_detail, name="circle"),
    path("<slug:slug>/edit/", views.circle_edit, name="edit"),
    path("<slug:slug>/members/", views.circle_members, name="members"),
    path("<slug:slug>/members/<int:pk>/", views.membership_change, name="membership_change"),
    path("<slug:slug>/members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<slug:slug>/requests/", views.membership_request, name="request"),
    path("<slug:slug>/requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path(
        "<slug:slug>/requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"
    ),
]
