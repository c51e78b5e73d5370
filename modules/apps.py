from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = _("Modules")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from modules import notice_kinds

        notice_kinds.register()
        from learning.seeding import register_install_step, register_seed_step
        from modules import receivers  # noqa: F401  (cache invalidation)
        from modules.seed import install_landing_step

        register_install_step("modules.landing", install_landing_step, order=20)

        from learning.areas import Area, DashboardPanel, register_area, register_dashboard_panel
        from modules.panels import assign_modules_panel, continue_learning_panel

        register_area(
            Area(
                key="modules",
                label=_("Modules"),
                url_name="module_catalogue",
                description=_("Short training on the work, written from research and practice."),
                visible=lambda roles: True,
                order=10,
                public=True,
            )
        )
        register_area(
            Area(
                key="my_learning",
                label=_("My learning"),
                url_name="my_learning",
                description=_("Modules in progress, completed and assigned to you; your CPD."),
                visible=lambda roles: True,
                order=20,
            )
        )
        from learning import permissions
        from learning.areas import organisation_link

        register_area(
            Area(
                key="assignments",
                label=_("Assignments"),
                url_name="organisation_assignments",
                description=_("Assign modules to members of your organisation and follow them up."),
                visible=permissions.sees_organisation_admin,
                url_for=organisation_link("organisation_assignments"),
                on_dashboard=False,
                order=65,
            )
        )
        register_dashboard_panel(
            DashboardPanel(key="continue_learning", render=continue_learning_panel, order=20)
        )
        register_dashboard_panel(
            DashboardPanel(key="assign_modules", render=assign_modules_panel, order=30)
        )

        from modules.assignments.services import dashboard_panel as assignments_panel

        register_dashboard_panel(
            DashboardPanel(key="assignments", render=assignments_panel, order=10)
        )

        from learning.calendar import calendar_source_register
        from modules.assignments.calendar import assignment_events_for

        calendar_source_register("modules.assignments", assignment_events_for)

        from modules.seed_curriculum import install_curriculum_step

        register_install_step("modules.curriculum", install_curriculum_step, order=30)

        from modules.seed_progress import seed_demo_progress

        register_seed_step("modules.demo_progress", seed_demo_progress, order=40)

        # Scale data for the benchmark: curriculum, generated modules and lessons, progress.
        from modules.scale import register as register_scale

        register_scale()
