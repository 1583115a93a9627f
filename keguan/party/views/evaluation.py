"""Pages of the party branch's evaluation area."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
