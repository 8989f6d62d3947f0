from django.urls import path

from deskpilkada.health import views

app_name = "health"
urlpatterns = [path("rumah-sakit/", views.hospital_list, name="hospitals")]
