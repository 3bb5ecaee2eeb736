from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kordon.audit"
    verbose_name = "Audit trail"
