from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samen030.core"
    label = "core"
    verbose_name = _("Platform")


class Samen030AdminConfig(admin_apps.AdminConfig):
    default_site = "samen030.core.admin_site.Samen030AdminSite"
