from django.urls import path

from deskpilkada.health import views

app_name = "health"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rumah-sakit/", views.hospital_list, name="hospitals"),
    path("rumah-sakit/ekspor/<str:fmt>/", views.hospital_export, name="hospitals_export"),
    path("rumah-sakit/<str:code>/", views.hospital_detail, name="hospital"),
    path("rumah-sakit/<str:code>/kunjungan/<int:pk>/", views.visit_detail, name="visit"),
    path("pos/", views.posts, name="posts"),
    path("pos/ekspor/<str:fmt>/", views.posts_export, name="posts_export"),
    path("pos/baru/", views.post_new, name="post_new"),
    path("insiden/", views.incidents, name="incidents"),
    path("insiden/ekspor/<str:fmt>/", views.incidents_export, name="incidents_export"),
    path("jam-tugas/", views.duty, name="duty"),
    path("jam-tugas/<str:code>/", views.duty_edit, name="duty_edit"),
]
