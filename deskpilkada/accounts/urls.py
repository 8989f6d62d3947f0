from django.urls import path

from deskpilkada.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("masuk/konfirmasi/", views.reauth_view, name="reauth"),
    path("akun/", views.profile, name="profile"),
    path("akun/token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<str:username>/", views.user_detail, name="user_detail"),
    path("pengguna/<str:username>/peran/<int:pk>/cabut/", views.role_revoke, name="role_revoke"),
    path("pengguna/<str:username>/status/", views.user_set_active, name="user_set_active"),
    path("organisasi/", views.organisation_list, name="organisation_list"),
    path("organisasi/baru/", views.organisation_create, name="organisation_create"),
    path("organisasi/<slug:code>/", views.organisation_detail, name="organisation_detail"),
    path("organisasi/<slug:code>/status/", views.organisation_set_active, name="organisation_set_active"),
]
