from django.urls import path

from deskpilkada.voters import views

app_name = "voters"
urlpatterns = [
    path("cek-tps/", views.lookup_page, name="lookup"),
    path("cek-tps/kelurahan/", views.kelurahan_index, name="kelurahan_index"),
    path("cek-tps/kelurahan/<str:code>/", views.kelurahan_tps, name="kelurahan_tps"),
    path("dpt/impor/", views.dpt_import, name="import"),
    path("dpt/templat.csv", views.dpt_template, name="template"),
]
