"""The moderated community of practice: spaces, threads, posts and moderation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community of practice")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community import notice_kinds

        notice_kinds.register()
        from community.panels import moderation_dashboard_panel
        from community.seed import seed_demo_community
        from community.sessions.ics import SESSION_ICS, session_invitation_ics
        from learning.areas import Area, DashboardPanel, register_area, register_dashboard_panel
        from learning.notify import attachment_register
        from learning.seeding import register_seed_step

        register_area(
            Area(
                key="community",
                label=_("Community"),
                url_name="community_index",
                description=_(
                    "Spaces where practitioners from different services learn from each other."
                ),
                visible=lambda roles: True,
                order=40,
            )
        )
        # "Moderation" in the header for the people who facilitate a space: a fact the core
        # reads through the rulebook, cached per person and forgotten when facilitators change.
        from django.db.models.signals import m2m_changed

        from community.models import Space
        from community.receivers import on_facilitators_changed
        from community.selectors import facilitates_any_space
        from learning import permissions

        permissions.role_fact_register(permissions.FACILITATES, facilitates_any_space)
        m2m_changed.connect(
            on_facilitators_changed,
            sender=Space.facilitators.through,
            dispatch_uid="hope_community_facilitators_changed",
        )
        register_area(
            Area(
                key="moderation",
                label=_("Moderation"),
                url_name="community_moderation",
                description=_("Posts waiting for review and reports in the spaces you facilitate."),
                visible=permissions.sees_moderation,
                on_dashboard=False,
                order=50,
            )
        )
        register_dashboard_panel(
            DashboardPanel(key="community_moderation", render=moderation_dashboard_panel, order=20)
        )
        register_seed_step("community.demo", seed_demo_community, order=70)
        from community.install import install_starter_spaces
        from learning.seeding import register_install_step

        register_install_step("community.spaces", install_starter_spaces, order=70)
        attachment_register(SESSION_ICS, session_invitation_ics)

        from community.sessions.feed import session_events_for
        from learning.calendar import calendar_source_register

        calendar_source_register("community.sessions", session_events_for)

        # Scale data for the benchmark: spaces, members, threads and posts.
        from community.scale import register as register_scale

        register_scale()
