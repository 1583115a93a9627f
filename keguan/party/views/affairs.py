"""Pages of the party branch's affairs area."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
