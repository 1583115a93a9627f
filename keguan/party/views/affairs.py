"""Pages of the party branch's affairs area: disclosure, clean government, honours and the
paired village. Each concept has its module; this one gathers their routes."""

from django.urls import path

from keguan.party.views import (
    affairs_disclosure as disclosure,
)
from keguan.party.views import (
    affairs_honours as honours,
)
from keguan.party.views import (
    affairs_integrity as integrity,
)
from keguan.party.views import (
    affairs_village as village,
)

urlpatterns: list = [
    path("disclosure/", disclosure.disclosure_list, name="disclosure_list"),
    path("disclosure/new/", disclosure.disclosure_create, name="disclosure_create"),
    path("disclosure/<int:pk>/", disclosure.disclosure_detail, name="disclosure_detail"),
    path("disclosure/<int:pk>/edit/", disclosure.disclosure_edit, name="disclosure_edit"),
    path(
        "disclosure/<int:pk>/actions/<slug:action>/",
        disclosure.disclosure_action,
        name="disclosure_action",
    ),
    path("integrity/", integrity.integrity_index, name="integrity_index"),
    path("integrity/letters/new/", integrity.letter_create, name="letter_create"),
    path("integrity/letters/<int:pk>/", integrity.letter_detail, name="letter_detail"),
    path("integrity/activities/new/", integrity.activity_create, name="activity_create"),
    path("integrity/activities/<int:pk>/", integrity.activity_detail, name="activity_detail"),
    path("integrity/declarations/", integrity.declaration_list, name="declaration_list"),
    path("integrity/declarations/new/", integrity.declaration_create, name="declaration_create"),
    path(
        "integrity/declarations/<int:pk>/edit/",
        integrity.declaration_edit,
        name="declaration_edit",
    ),
    path("honours/", honours.honour_list, name="honour_list"),
    path("honours/new/", honours.honour_create, name="honour_create"),
    path("honours/<int:pk>/edit/", honours.honour_edit, name="honour_edit"),
    path("honours/<int:pk>/delete/", honours.honour_delete, name="honour_delete"),
    path("village/", village.village_list, name="village_list"),
    path("village/new/", village.village_create, name="village_create"),
    path("village/relief/new/", village.relief_create, name="relief_create"),
    path("village/<int:pk>/", village.village_detail, name="village_detail"),
    path("village/<int:pk>/edit/", village.village_edit, name="village_edit"),
    path("village/<int:pk>/<slug:what>/new/", village.village_record, name="village_record"),
]
