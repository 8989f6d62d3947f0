from django.urls import path

from deskpilkada.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("desk/", views.overview, name="overview"),
    path("titik/<slug:slug>/", views.point_detail, name="point"),
]
