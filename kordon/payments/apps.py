from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "kordon.payments"
    verbose_name = "Payments and receipts"

    def ready(self) -> None:
        from kordon.payments import checks, shredders  # noqa: F401 - system checks; shredding personal data
