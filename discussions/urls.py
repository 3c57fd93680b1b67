from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("", views.thread_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.thread, name="thread"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/poll/", views.poll_new, name="poll_new"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/history/", views.history, name="history"),
    path("comments/<int:pk>/hide/", views.hide, name="hide"),
    path("comments/<int:pk>/show/", views.show, name="show"),
    path("comments/<int:pk>/react/", views.react, name="react"),
]
