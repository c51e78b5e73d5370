from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = _("Modules")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from learning.seeding import register_seed_step

        from .seed import seed_landing_page

        register_seed_step("modules.landing", seed_landing_page, order=20)
