from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionConfig(AppConfig):
    name = "reflection"
    verbose_name = _("Reflection and supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from learning.areas import Area, register_area

        from .models import SafeguardingPhrase
        from .selectors import forget_safeguarding_phrases

        post_save.connect(forget_safeguarding_phrases, sender=SafeguardingPhrase)
        post_delete.connect(forget_safeguarding_phrases, sender=SafeguardingPhrase)

        register_area(
            Area(
                key="journal",
                label=_("My journal"),
                url_name="journal_list",
                description=_("Your private reflective journal. Only you can read it."),
                visible=lambda roles: True,
                order=30,
            )
        )
