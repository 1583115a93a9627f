from django.urls import path

from keguan.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
]
