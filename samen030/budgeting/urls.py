from django.urls import path

from . import views

urlpatterns = [
    path("burgerbegroting/", views.burgerbegroting_list, name="burgerbegroting-list"),
    path("burgerbegroting/<slug:slug>/", views.burgerbegroting_detail, name="burgerbegroting-detail"),
    path("burgerbegroting/<slug:slug>/plannen/nieuw/", views.plan_create, name="plan-create"),
    path("burgerbegroting/<slug:slug>/plannen/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("burgerbegroting/<slug:slug>/plannen/<int:pk>/bewerken/", views.plan_edit, name="plan-edit"),
    path("burgerbegroting/<slug:slug>/plannen/<int:pk>/steun/", views.plan_support, name="plan-support"),
    path("burgerbegroting/<slug:slug>/plannen/<int:pk>/toets/", views.plan_check, name="plan-check"),
    path("burgerbegroting/<slug:slug>/plannen/<int:pk>/samenvoegen/", views.plan_merge, name="plan-merge"),
    path("burgerbegroting/<slug:slug>/plannen/<int:pk>/uitvoering/", views.plan_realisation, name="plan-realisation"),
    path("burgerbegroting/<slug:slug>/stemmen/", views.ballot, name="ballot"),
    path("burgerbegroting/<slug:slug>/stemmen/code/", views.code_entry, name="ballot-code"),
    path("burgerbegroting/<slug:slug>/uitslag/", views.result, name="burgerbegroting-result"),
    path("burgerbegroting/<slug:slug>/uitslag/mijn-stem/", views.receipt, name="ballot-receipt"),
    path("burgerbegroting/<slug:slug>/uitslag/stemmen.pb", views.export_pb, name="result-pb"),
    path("burgerbegroting/<slug:slug>/uitslag/stemmen.csv", views.export_csv, name="result-csv"),
    path("burgerbegroting/<slug:slug>/beheer/", views.manage, name="burgerbegroting-manage"),
    path("burgerbegroting/<slug:slug>/beheer/codes/", views.code_batch, name="burgerbegroting-codes"),
    path("burgerbegroting/<slug:slug>/beheer/papier/", views.paper_entry, name="burgerbegroting-paper"),
]
