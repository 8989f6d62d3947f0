from django.urls import path

from deskpilkada.officers import views

app_name = "officers"

urlpatterns = [
    path("", views.home, name="home"),
    path("tps/", views.tps_list, name="tps_list"),
    path("tps/ekspor/<str:fmt>/", views.tps_export, name="tps_export"),
    path("tps/<str:code>/", views.tps_crew, name="tps"),
    path("daftar/", views.officer_list, name="list"),
    path("daftar/ekspor/<str:fmt>/", views.officer_export, name="list_export"),
    path("angkat/", views.appoint, name="appoint"),
    path("impor/", views.import_file, name="import"),
    path("templat/<str:fmt>/", views.template, name="template"),
    path("orang/<int:pk>/", views.officer_detail, name="officer"),
    path("orang/<int:pk>/skrining/", views.screen, name="screen"),
    path("orang/<int:pk>/ganti/", views.replace, name="replace"),
    path("skrining/", views.screening, name="screening"),
    path("bimtek/", views.session_list, name="sessions"),
    path("bimtek/baru/", views.session_new, name="session_new"),
    path("bimtek/<int:pk>/", views.session_detail, name="session"),
    path("bimtek/<int:pk>/undang/", views.session_invite, name="invite"),
    path("bimtek/<int:pk>/hadir/", views.attendance, name="attendance"),
    path("bimtek/<int:pk>/hadir/daftar/", views.attendance_import, name="attendance_import"),
    path("bimtek/<int:pk>/materi/", views.material_upload, name="material_upload"),
    path("bimtek/materi/<int:pk>/", views.material, name="material"),
]
