from django.urls import path

from deskpilkada.outreach import views

app_name = "outreach"
urlpatterns = [
    path("undangan/", views.invitations, name="invitations"),
    path("undangan/ekspor.xlsx", views.invitations_export, name="export"),
    path("undangan/peta/", views.invitations_map, name="map"),
    path("undangan/peta/data.geojson", views.invitations_map_data, name="map_data"),
    path("undangan/tps/", views.invitations_pick, name="pick"),
    path("undangan/tps/<str:code>/", views.invitations_record, name="record"),
    path("sosialisasi/", views.activities, name="activities"),
    path("sosialisasi/prioritas/", views.priority_list, name="priority"),
    path("sosialisasi/foto/<int:pk>/", views.activity_photo, name="activity_photo"),
]
