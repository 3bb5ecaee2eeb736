from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "kordon.payments"
    verbose_name = "Payments and receipts"

    def ready(self) -> None:
        from kordon.payments import checks  # noqa: F401 - registers the system checks
        from kordon.payments import retention  # noqa: F401 - shreds its copies of personal data
