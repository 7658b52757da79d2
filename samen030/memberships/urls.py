from django.urls import path

from . import views

urlpatterns = [
    path("leden/", views.member_list, name="member-list"),
    path("lid-worden/", views.membership_apply, name="membership-apply"),
    path("organisaties/<slug:slug>/lid-worden/", views.membership_apply, name="membership-apply-existing"),
    path("aanmeldingen/<int:pk>/", views.application_detail, name="application-detail"),
    path("aanmeldingen/<int:pk>/intrekken/", views.application_withdraw, name="application-withdraw"),
    path("bestuur/", views.board_home, name="board-home"),
    path("bestuur/aanmeldingen/<int:pk>/", views.board_application, name="board-application"),
    path("bestuur/ledenregister/", views.board_register, name="board-register"),
    path("bestuur/lidmaatschappen/<int:pk>/beeindigen/", views.membership_end, name="membership-end"),
]
