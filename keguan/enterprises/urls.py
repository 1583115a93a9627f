"""Enterprise and park pages, under /enterprises/."""

from django.urls import path

from keguan.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("cooperations/", views.cooperation_list, name="cooperation_list"),
    path("cooperations/new/", views.cooperation_create, name="cooperation_create"),
    path("cooperations/<int:pk>/edit/", views.cooperation_edit, name="cooperation_edit"),
]
