from django.urls import path

from kordon.payments import views

app_name = "payments"
urlpatterns = [
    path("notices/<str:reference>/pay/", views.pay, name="pay"),
    path("payments/<str:public_id>/return/", views.payment_return, name="return"),
    path("payments/groups/<str:public_id>/", views.batch_return, name="batch_return"),
    path("payments/sandbox/<str:provider_reference>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("payments/reports/payments.csv", views.hq_report, name="hq_report"),
    path("receipts/<str:number>/", views.receipt, name="receipt"),
    path("post/payments/cash/", views.record_cash, name="record_cash"),
    path("post/payments/refund/", views.hand_over_refund, name="hand_over_refund"),
    path("post/reports/payments.csv", views.post_report, name="post_report"),
]
