from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "kordon.agencies"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from kordon.agencies import auth, receivers  # noqa: F401 -- connects the receivers
        from kordon.notices import owners

        owners.register(auth.resolve)
