from django.urls import path

from deskpilkada.logistics import views

app_name = "logistics"

urlpatterns = [
    path("", views.home, name="home"),
    path("kebutuhan/", views.needs_table, name="needs"),
    path("kebutuhan/ekspor/<str:fmt>/", views.needs_export, name="needs_export"),
    path("peringatan/", views.alert_list, name="alerts"),
    path("peringatan/ekspor/<str:fmt>/", views.alert_export, name="alerts_export"),
    path("peta/", views.map_page, name="map"),
    path("peta/data/", views.map_data, name="map_data"),
    path("barang/", views.item_list, name="items"),
    path("barang/<slug:code>/", views.item_edit, name="item_edit"),
    path("kiriman/", views.shipment_list, name="shipments"),
    path("kiriman/baru/", views.shipment_new, name="shipment_new"),
    path("kiriman/kecamatan/", views.kecamatan_shipments, name="kecamatan_shipments"),
    path("kiriman/tindakan/", views.shipment_bulk, name="shipment_bulk"),
    path("kiriman/ekspor/<str:fmt>/", views.shipment_export, name="shipments_export"),
    path("kiriman/impor/", views.import_file, name="import"),
    path("kiriman/templat/<str:fmt>/", views.template, name="template"),
    path("kiriman/<str:code>/", views.shipment_detail, name="shipment"),
    path("kiriman/<str:code>/aksi/", views.shipment_act, name="shipment_act"),
    path("kiriman/<str:code>/terima/", views.receive, name="receive"),
    path("kiriman/<str:code>/koreksi/", views.correct, name="correct"),
    path("berita-acara/<int:pk>/", views.receipt_photo, name="receipt_photo"),
    path("label/", views.label_sheet, name="labels"),
    path("pindai/", views.scan, name="scan"),
    path("pindai/<str:code>/", views.scan_code, name="scan_code"),
    path("tps/<str:code>/", views.tps_logistics, name="tps"),
    path("kotak/<str:code>/", views.unit_detail, name="unit"),
]
