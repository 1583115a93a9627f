"""Pages of the party branch's meetings area."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
