"""Pages of the party branch's study area."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
