"""Pages of the party branch's members area."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
