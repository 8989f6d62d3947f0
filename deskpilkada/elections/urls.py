from django.urls import path

from deskpilkada.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("<slug:code>/", views.election_detail, name="detail"),
    path("<slug:code>/<slug:contest>/sirekap/", views.sirekap_ids, name="sirekap_ids"),
]
