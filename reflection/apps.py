from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionConfig(AppConfig):
    name = "reflection"
    verbose_name = _("Reflection and supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reflection import notice_kinds

        notice_kinds.register()
        from django.db.models.signals import post_delete, post_save

        from learning.areas import Area, register_area
        from learning.guard import safeguarding_patterns_register
        from reflection.journal.selectors import (
            forget_safeguarding_phrases,
            safeguarding_phrase_list,
        )
        from reflection.models import SafeguardingPhrase

        safeguarding_patterns_register(safeguarding_phrase_list)
        from learning.permissions import read_with_roles
        from reflection.supervision.panels import flag_key

        # Whether the person has any supervision ("My home" asks) comes with their roles.
        read_with_roles(flag_key)

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

        # journal extras
        from learning.markers import LessonMarker, register_lesson_marker
        from learning.seeding import register_seed_step
        from reflection.journal.lesson_markers import reflected_on_lesson
        from reflection.seed import seed_demo_journal, seed_demo_signoff

        register_lesson_marker(LessonMarker(key="journal.reflected", provide=reflected_on_lesson))
        register_seed_step("reflection.demo_journal", seed_demo_journal, order=50)
        register_seed_step("reflection.demo_signoff", seed_demo_signoff, order=60)
        from learning.seeding import register_install_step
        from reflection.install import install_lists_step

        register_install_step("reflection.lists", install_lists_step, order=60)
        from learning.middleware import register_signed_out_post_handler
        from reflection.journal.views_extras import journal_signed_out_post

        register_signed_out_post_handler(journal_signed_out_post)

        # Text kept over an idle sign-out belongs to the account that wrote it: any other
        # sign-in on the same browser discards it at once.
        from django.contrib.auth.signals import user_logged_in

        from reflection.journal.drafts import discard_kept_text_of_others

        user_logged_in.connect(discard_kept_text_of_others, dispatch_uid="hope_kept_text_owner")

        # sign-off
        from learning.areas import DashboardPanel, register_dashboard_panel
        from learning.models import Role
        from reflection.signoff.views import signoff_dashboard_panel

        register_area(
            Area(
                key="signoff",
                label=_("Sign-off"),
                url_name="signoff_queue",
                description=_("Learning summaries shared with you for sign-off."),
                visible=lambda roles: roles.has_role(Role.SUPERVISOR),
                order=35,
            )
        )
        register_dashboard_panel(
            DashboardPanel(key="signoff_waiting", render=signoff_dashboard_panel, order=15)
        )

        from django.db.models.signals import pre_delete

        from reflection.models import JournalEntry
        from reflection.signoff.services import discard_unsigned_on_entry_delete

        pre_delete.connect(
            discard_unsigned_on_entry_delete,
            sender=JournalEntry,
            dispatch_uid="hope_signoff_discard_unsigned",
        )

        # signed-off reflections on the CPD record
        from learning.records import register_reflective_account_source
        from reflection.signoff.accounts import reflective_accounts_of

        register_reflective_account_source("journal", reflective_accounts_of)

        # CPD logged in the revalidation portfolio, in the CPD record's exports
        from learning.records import register_external_cpd_source
        from reflection.portfolio.selectors import external_cpd_lines

        register_external_cpd_source("portfolio", external_cpd_lines)
        # the revalidation portfolio, from the CPD record
        from learning.records import RecordLink, register_record_link

        register_record_link(
            "portfolio",
            RecordLink(
                url_name="portfolio_home",
                label=_("Revalidation"),
                description=_(
                    "What your register asks for and what is left: add CPD you did elsewhere, "
                    "see participatory hours from reflective sessions and group supervision, "
                    "and log practice-related feedback."
                ),
            ),
        )

        # supervision
        from reflection.supervision.registrations import register as register_supervision

        register_supervision()

        # Scale data for the benchmark: journal entries, sign-off requests, supervision.
        from reflection.scale import register as register_scale

        register_scale()
