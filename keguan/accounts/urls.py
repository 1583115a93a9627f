from django.urls import path

from keguan.accounts import organization_views, user_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("organizations/", organization_views.organization_list, name="organization_list"),
    path("organizations/new/", organization_views.organization_create, name="organization_create"),
    path(
        "organizations/<int:pk>/",
        organization_views.organization_detail,
        name="organization_detail",
    ),
    path(
        "organizations/<int:pk>/edit/",
        organization_views.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizations/<int:pk>/actions/<slug:action>/",
        organization_views.organization_action,
        name="organization_action",
    ),
    path("bureaus/", organization_views.bureau_list, name="bureau_list"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user_detail"),
    path("users/<int:pk>/unlock/", user_views.user_unlock, name="user_unlock"),
]
