from django.urls import path

from deskpilkada.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("peta/", views.map_page, name="map"),
    path("peta/data.json", views.map_data, name="map_data"),
    path("peringatan/", views.warnings, name="warnings"),
    path("peringatan/ekspor.<fmt:fmt>", views.warnings_export, name="warnings_export"),
    path("rawan-bencana/", views.risky, name="risky"),
    path("rawan-bencana/ekspor.<fmt:fmt>", views.risky_export, name="risky_export"),
    path("keamanan/", views.security, name="security"),
    path("keamanan/ekspor.<fmt:fmt>", views.security_export, name="security_export"),
    path("keamanan/pos/baru/", views.post_new, name="post_new"),
    path("kerawanan/", views.vulnerability, name="vulnerability"),
    path("kerawanan/impor/", views.vulnerability_import, name="vulnerability_import"),
    path("kerawanan/templat.<fmt:fmt>", views.vulnerability_template, name="vulnerability_template"),
    path("relokasi/", views.relocations, name="relocations"),
    path("cuaca/", views.weather, name="weather"),
    path("cuaca/baru/", views.weather_new, name="weather_new"),
    path("cuaca/<int:pk>/", views.weather_detail, name="weather_detail"),
    path("foto/<int:pk>/", views.answer_photo, name="answer_photo"),
    path("peringatan/<int:pk>/selesai/", views.warning_resolve, name="warning_resolve"),
    path("tps/<str:code>/", views.tps_page, name="tps"),
    path("tps/<str:code>/periksa/", views.checklist, name="checklist"),
    path("tps/<str:code>/bahaya/", views.hazard, name="hazard"),
    path("tps/<str:code>/mitigasi/", views.plan, name="plan"),
    path("tps/<str:code>/pindah/", views.relocate, name="relocate"),
    path("tps/<str:code>/kerawanan/", views.assess, name="assess"),
    path("tps/<str:code>/personel/", views.deploy, name="deploy"),
]
