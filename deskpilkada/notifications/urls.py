from django.urls import path

from deskpilkada.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("dibaca/", views.notification_read, name="read"),
]
