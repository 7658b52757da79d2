from django.urls import path

from . import views

urlpatterns = [
    path("fondsen/", views.fund_list, name="fund-list"),
    path("fondsen/<slug:slug>/", views.fund_detail, name="fund-detail"),
    path("fondsen/<slug:slug>/transacties.csv", views.fund_transactions_csv, name="fund-transactions-csv"),
    path("fondsen/<slug:slug>/penningmeesters/", views.fund_manage, name="fund-manage"),
    path("fondsen/<slug:slug>/betalingen/nieuw/", views.payment_create, name="payment-create"),
    path("fondsen/<slug:slug>/betalingen/<int:pk>/", views.payment_detail, name="payment-detail"),
    path("fondsen/<slug:slug>/inkomsten/nieuw/", views.income_create, name="income-create"),
    path("fondsen/<slug:slug>/toezeggingen/nieuw/", views.commitment_create, name="commitment-create"),
    path("fondsen/<slug:slug>/transacties/<int:pk>/corrigeren/", views.transaction_reverse, name="transaction-reverse"),
]
