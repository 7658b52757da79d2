from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "samen030.funds"
    label = "funds"
    verbose_name = _("Neighbourhood funds")
