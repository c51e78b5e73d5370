"""Areas, dashboard panels, seed steps and other registrations for supervision.

Called from ``ReflectionConfig.ready()``.
"""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    """Register supervision's areas, panels and seed steps."""
    from wagtail.snippets.models import register_snippet

    from learning.areas import Area, DashboardPanel, register_area, register_dashboard_panel
    from learning.seeding import register_seed_step
    from reflection.supervision import tasks  # noqa: F401  (Celery finds the beat task by its dotted name)
    from reflection.supervision.panels import supervision_dashboard_panel
    from reflection.supervision.seed import seed_demo_supervision
    from reflection.supervision.wagtail_admin import SupervisionThemeViewSet

    register_area(
        Area(
            key="supervision",
            label=_("Supervision"),
            url_name="supervision_home",
            description=_(
                "Your supervision agreements, session records agreed by both of you, and "
                "actions to follow up."
            ),
            visible=lambda roles: True,
            order=40,
        )
    )
    register_dashboard_panel(
        DashboardPanel(key="supervision_actions", render=supervision_dashboard_panel, order=20)
    )
    register_seed_step("reflection.demo_supervision", seed_demo_supervision, order=70)

    from learning.calendar import calendar_source_register
    from reflection.supervision.calendar import supervision_events_for

    calendar_source_register("supervision", supervision_events_for)
    register_snippet(SupervisionThemeViewSet)
