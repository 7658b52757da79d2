from django.urls import path

from . import everywhere, views

urlpatterns = [
    path("alles-zoeken/", everywhere.search_everything, name="search-everything"),
    path("kennis/", views.item_list, name="knowledge-list"),
    path("kennis/delen/", views.item_create, name="knowledge-create"),
    path("kennis/deadlines/", views.deadline_list, name="knowledge-deadlines"),
    path("kennis/deadlines.ics", views.deadline_feed, name="knowledge-deadlines-feed"),
    path("kennis/statutengenerator/", views.statutes_generator, name="knowledge-statutes"),
    path("kennis/volgen/", views.following, name="knowledge-following"),
    path("kennis/afmelden/<str:token>/", views.unsubscribe, name="knowledge-unsubscribe"),
    path("kennis/bestanden/<int:pk>/miniatuur.jpg", views.file_thumbnail, name="knowledge-thumbnail"),
    path("kennis/bestanden/<int:pk>/<str:name>", views.file_download, name="knowledge-file"),
    path("kennis/<slug:slug>/", views.item_detail, name="knowledge-item"),
    path("kennis/<slug:slug>/bewerken/", views.item_edit, name="knowledge-edit"),
    path("kennis/<slug:slug>/bestanden/nieuw/", views.file_add, name="knowledge-file-add"),
    path("kennis/<slug:slug>/bestanden/<int:document>/nieuwe-versie/", views.file_add, name="knowledge-version-add"),
    path("kennis/<slug:slug>/verbergen/", views.item_hide, name="knowledge-hide"),
    path("kennis/<slug:slug>/tonen/", views.item_unhide, name="knowledge-unhide"),
    path("kennis/<slug:slug>/vragen/", views.question_add, name="knowledge-question-add"),
    path("kennis/<slug:slug>/vragen/<int:question>/antwoorden/", views.answer_add, name="knowledge-answer-add"),
    path("kennis/<slug:slug>/gebruikt/", views.usage_mark, name="knowledge-usage"),
    path("kennis/<slug:slug>/volgen/", views.item_follow, name="knowledge-follow"),
]
