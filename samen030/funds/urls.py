from django.urls import path

from . import budget_views, grant_views, lm3_views, statement_views, treasurer_views, views

urlpatterns = [
    path("euros-in-de-wijk/", lm3_views.local_money, name="local-money"),
    path("bestedingsonderzoek/<str:token>/", lm3_views.respend_survey, name="respend-survey"),
    path("fondsen/", views.fund_list, name="fund-list"),
    path("fondsen/<slug:slug>/", views.fund_detail, name="fund-detail"),
    path("fondsen/<slug:slug>/transacties.csv", views.fund_transactions_csv, name="fund-transactions-csv"),
    path("fondsen/<slug:slug>/transacties.xlsx", views.fund_transactions_xlsx, name="fund-transactions-xlsx"),
    path("fondsen/<slug:slug>/penningmeesters/", views.fund_manage, name="fund-manage"),
    path("fondsen/<slug:slug>/penningmeesters/instellen/", treasurer_views.treasurers_manage, name="treasurers-manage"),
    path("fondsen/<slug:slug>/betalingen/nieuw/", views.payment_create, name="payment-create"),
    path("fondsen/<slug:slug>/betalingen/<int:pk>/", views.payment_detail, name="payment-detail"),
    path(
        "fondsen/<slug:slug>/betalingen/<int:pk>/bonnetjes/<int:receipt>/",
        views.payment_receipt_download,
        name="payment-receipt-download",
    ),
    path("fondsen/<slug:slug>/inkomsten/nieuw/", views.income_create, name="income-create"),
    path("fondsen/<slug:slug>/toezeggingen/nieuw/", views.commitment_create, name="commitment-create"),
    path("fondsen/<slug:slug>/toezeggingen/vrijgeven/", views.commitment_release, name="commitment-release"),
    path("fondsen/<slug:slug>/transacties/<int:pk>/corrigeren/", views.transaction_reverse, name="transaction-reverse"),
    path("fondsen/<slug:slug>/begroting/", budget_views.fund_budget, name="fund-budget"),
    path("fondsen/<slug:slug>/begroting/beheer/", budget_views.budget_manage, name="budget-manage"),
    path("fondsen/<slug:slug>/bankafschriften/", statement_views.statement_import, name="statement-import"),
    path("fondsen/<slug:slug>/commissie/", grant_views.committee_manage, name="committee-manage"),
    path("fondsen/<slug:slug>/aanvragen/", grant_views.grant_list, name="grant-list"),
    path("fondsen/<slug:slug>/aanvragen/nieuw/", grant_views.grant_create, name="grant-create"),
    path("fondsen/<slug:slug>/aanvragen/<int:pk>/", grant_views.grant_detail, name="grant-detail"),
    path("fondsen/<slug:slug>/aanvragen/<int:pk>/verantwoording/", grant_views.grant_report, name="grant-report"),
    path(
        "fondsen/<slug:slug>/aanvragen/<int:pk>/bonnetjes/<int:receipt>/",
        grant_views.receipt_download,
        name="receipt-download",
    ),
]
