from django.urls import path

from . import views

urlpatterns = [
    path("wijken/", views.wijk_list, name="wijk-list"),
    path("wijken/<str:code>/", views.wijk_detail, name="wijk-detail"),
    path("buurten/<str:code>/", views.buurt_detail, name="buurt-detail"),
    path("kaart/buurten.geojson", views.buurten_geojson, name="buurten-geojson"),
]
