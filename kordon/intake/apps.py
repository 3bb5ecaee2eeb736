from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "kordon.intake"
    verbose_name = "Intake by WhatsApp and email"
