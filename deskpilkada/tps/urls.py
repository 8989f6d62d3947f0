from django.urls import path, register_converter

from deskpilkada.tps import views


class TableFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TableFormat, "fmt")

app_name = "tps"
urlpatterns = [
    path("", views.tps_list, name="list"),
    path("baru/", views.tps_create, name="create"),
    path("peta/", views.tps_map, name="map"),
    path("peta/data.geojson", views.tps_map_data, name="map_data"),
    path("impor/", views.tps_import, name="import"),
    path("tindakan/", views.tps_bulk, name="bulk"),
    path("ekspor.<fmt:fmt>", views.tps_export, name="export"),
    path("templat.<fmt:fmt>", views.tps_template, name="template"),
    path("<str:code>/", views.tps_detail, name="detail"),
    path("<str:code>/ubah/", views.tps_edit, name="edit"),
]
