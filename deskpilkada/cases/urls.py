from django.urls import path

from deskpilkada.cases import views

app_name = "cases"

urlpatterns = [
    path("kasus/", views.inbox, name="inbox"),
    path("kasus/baru/", views.new_case, name="new"),
    path("kasus/ekspor/<str:fmt>/", views.export, name="export"),
    path("kasus/impor/", views.import_file, name="import"),
    path("kasus/peta/", views.timeline, name="timeline"),
    path("kasus/templat/<str:fmt>/", views.template, name="template"),
    path("kasus/tindakan/", views.bulk_action, name="bulk"),
    path("kasus/<int:pk>/", views.case_detail, name="detail"),
    path("kasus/<int:pk>/aksi/", views.case_act, name="act"),
    path("kasus/<int:pk>/pdf/", views.case_pdf, name="pdf"),
    path("kasus/lampiran/<int:pk>/", views.attachment, name="attachment"),
    path("lapor/", views.report, name="report"),
    path("lapor/status/", views.report_lookup, name="report_lookup"),
    path("lapor/status/<str:code>/", views.report_status, name="report_status"),
    path("klarifikasi/", views.clarifications, name="clarifications"),
    path("klarifikasi/feed.xml", views.clarification_feed, name="feed"),
    path("klarifikasi/<int:pk>/", views.clarification, name="clarification"),
]
