from django.urls import path, re_path

from . import views
from .errors import not_found

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.Schema.as_view(), name="schema"),
    path("wijken/", views.WijkList.as_view(), name="wijk-list"),
    # CBS codes are letters and digits; anything else falls through to the JSON 404 below.
    re_path(r"^wijken/(?P<code>[A-Za-z0-9]{1,10})/$", views.WijkDetail.as_view(), name="wijk-detail"),
    path("buurten/", views.BuurtList.as_view(), name="buurt-list"),
    re_path(r"^buurten/(?P<code>[A-Za-z0-9]{1,10})/$", views.BuurtDetail.as_view(), name="buurt-detail"),
    path("organisaties/", views.OrganisationList.as_view(), name="organisation-list"),
    path("organisaties/<slug:slug>/", views.OrganisationDetail.as_view(), name="organisation-detail"),
    path("activiteiten/", views.ActivityList.as_view(), name="activity-list"),
    path("activiteiten/<slug:slug>/", views.ActivityDetail.as_view(), name="activity-detail"),
    # Anything else under /api/v1/ that ends in a slash: a JSON 404 rather than the site's HTML page.
    re_path(r"^(?P<path>.*/)$", not_found),
]
