from django.urls import path

from offers import views

app_name = "offers"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new, name="new"),
    path("searches/", views.searches, name="searches"),
    path("searches/<int:pk>/edit/", views.search_edit, name="search_edit"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/fulfil/", views.fulfil, name="fulfil"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/reply/", views.reply, name="reply"),
]
