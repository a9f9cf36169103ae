from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("dossiers/<str:code>/", views.pay, name="pay"),
    path("dossiers/<str:code>/cash/", views.cash, name="cash"),
    path("return/", views.payment_return, name="return"),
    path("ipn/", views.ipn, name="ipn"),
    path("receipts/<str:ref>/", views.receipt, name="receipt"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("settlement/", views.settlement_report, name="settlement"),
    path("<int:pk>/refund/", views.refund, name="refund"),
    path("refunds/<int:pk>/transferred/", views.confirm_transfer, name="confirm_transfer"),
]
