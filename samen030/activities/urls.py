from django.urls import path

from . import views

urlpatterns = [
    path("zoeken/", views.activity_search, name="activity-search"),
    path("kaart/", views.activity_map, name="activity-map"),
    path("kaart/activiteiten.geojson", views.activities_geojson, name="activities-geojson"),
    path("activiteit-bevestigen/<str:token>/", views.activity_confirm_link, name="activity-confirm-link"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<str:name>", views.open_data_download, name="open-data-download"),
    path("activiteiten/<slug:slug>/", views.activity_detail, name="activity-detail"),
    path("activiteiten/<slug:slug>/bewerken/", views.activity_edit, name="activity-edit"),
    path("activiteiten/<slug:slug>/kopieren/", views.activity_duplicate, name="activity-duplicate"),
    path("activiteiten/<slug:slug>/pauzeren/", views.activity_pause, name="activity-pause"),
    path("activiteiten/<slug:slug>/hervatten/", views.activity_resume, name="activity-resume"),
    path("activiteiten/<slug:slug>/bevestigen/", views.activity_confirm, name="activity-confirm"),
    path("activiteiten/<slug:slug>/verwijderen/", views.activity_remove, name="activity-remove"),
    path("activiteiten/<slug:slug>/verbergen/", views.activity_hide, name="activity-hide"),
    path("activiteiten/<slug:slug>/tonen/", views.activity_unhide, name="activity-unhide"),
    path("buurten/<str:code>/activiteiten/", views.buurt_activities, name="buurt-activities"),
    path("buurten/<str:code>/activiteiten.ics", views.buurt_activities_feed, name="buurt-activities-feed"),
    path("wijken/<str:code>/activiteiten/", views.wijk_activities, name="wijk-activities"),
    path("wijken/<str:code>/activiteiten.ics", views.wijk_activities_feed, name="wijk-activities-feed"),
    path("themas/<slug:slug>/activiteiten/", views.theme_activities, name="theme-activities"),
    path("themas/<slug:slug>/activiteiten.ics", views.theme_activities_feed, name="theme-activities-feed"),
    path("organisaties/<slug:slug>/activiteiten/", views.organisation_activities, name="organisation-activities"),
    path(
        "organisaties/<slug:slug>/activiteiten.ics",
        views.organisation_activities_feed,
        name="organisation-activities-feed",
    ),
    path("organisaties/<slug:slug>/activiteiten/nieuw/", views.activity_create, name="activity-create"),
]
