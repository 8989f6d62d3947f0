from django.urls import path

from deskpilkada.tally import views

app_name = "tally"
urlpatterns = [
    path("penghitungan/", views.tally_home, name="home"),
    path("penghitungan/sw.js", views.service_worker, name="service_worker"),
    path("penghitungan/manifest.webmanifest", views.web_manifest, name="manifest"),
    path("penghitungan/ditahan/", views.held_list, name="held"),
    path("penghitungan/sengketa/", views.disputed_list, name="disputed"),
    path("penghitungan/anomali/", views.anomaly_list, name="anomalies"),
    path("penghitungan/sirekap/", views.sirekap_list, name="sirekap"),
    path("penghitungan/ruang-situasi/", views.situation_room, name="situation"),
    path("penghitungan/impor/", views.import_view, name="import"),
    path("penghitungan/templat.csv", views.template_csv, name="template"),
    path("penghitungan/foto/<int:pk>/", views.photo, name="photo"),
    path("penghitungan/d-hasil/<slug:contest>/<str:code>/", views.d_hasil, name="d_hasil"),
    path("penghitungan/final/<slug:contest>/<str:code>/", views.finalise, name="finalise"),
    path("penghitungan/tps/<str:code>/<slug:contest>/", views.sheet_detail, name="sheet"),
    path("penghitungan/tps/<str:code>/<slug:contest>/isi/", views.sheet_enter, name="enter"),
    path("penghitungan/tps/<str:code>/<slug:contest>/verifikasi/", views.sheet_verify, name="verify"),
    path("penghitungan/tps/<str:code>/<slug:contest>/sengketa/", views.resolve_dispute, name="resolve"),
    path("hasil/", views.results_index, name="results"),
    path("hasil/verifikasi/", views.verify_root, name="verify_root"),
    path("hasil/checkpoint/<slug:contest>/", views.checkpoint_list, name="checkpoints"),
    path("hasil/<slug:contest>/<str:code>/", views.results_region, name="results_region"),
]
