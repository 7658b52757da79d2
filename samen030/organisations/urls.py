from django.urls import path

from . import views

urlpatterns = [
    path("organisaties/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisaties/<slug:slug>/contact/", views.organisation_contact, name="organisation-contact"),
    path("organisaties/<slug:slug>/bewerken/", views.organisation_edit, name="organisation-edit"),
    path("organisaties/<slug:slug>/redacteuren/", views.organisation_editors, name="organisation-editors"),
    path(
        "organisaties/<slug:slug>/redacteuren/<int:pk>/verwijderen/",
        views.editor_remove,
        name="organisation-editor-remove",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
