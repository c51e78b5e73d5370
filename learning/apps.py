from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Holding Hope core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # ``<id:…>`` in every app's URLs (learning/converters.py), before any URLconf loads.
        from learning import converters

        converters.register()
        # Security and account messages: always emailed, no setting (learning.notify_groups).
        from learning.notify_groups import ACCOUNT, notice_kind_register

        notice_kind_register("account.changed_by_admin", ACCOUNT)
        from learning import pagecache, receivers  # noqa: F401  (receivers: sign-in audit)

        # Page changes made outside the admin (a worker's scheduled publishing) also forget
        # cached public pages; Wagtail loads hook modules lazily, so connect here too.
        pagecache.connect_signals()
        # Request ids travel with tasks; task failures are counted for /metrics.
        from learning import metrics, observability

        observability.connect_celery_signals()
        metrics.connect_celery_signals()
        from learning import notify, permissions, user_cache
        from learning.areas import Area, organisation_link, register_area

        # The header's unread count comes with the roles, and the roles with the person's
        # row: one cache round trip for all of them.
        permissions.read_with_roles(notify.unread_cache_key)
        user_cache.read_with_user(permissions.person_cache_keys)

        register_area(
            Area(
                key="dashboard",
                label=_("My home"),
                url_name="dashboard",
                description=_("What needs you now."),
                visible=lambda roles: True,
                order=0,
            )
        )
        register_area(
            Area(
                key="cms",
                label=_("Edit content"),
                url_name="wagtailadmin_home",
                description=_("Write and review modules in the content editor."),
                visible=lambda roles: roles.is_superuser or roles.is_editor,
                order=80,
            )
        )
        register_area(
            Area(
                key="notifications",
                label=_("Notifications"),
                url_name="notification_list",
                description=_("What is waiting for you, and how often we email you about it."),
                visible=lambda roles: True,
                order=85,
                # The header's account bar links to it, with the unread count: not in the menu too.
                in_navigation=False,
            )
        )
        from learning.areas import DashboardPanel, register_dashboard_panel
        from learning.views_notifications import notifications_dashboard_panel

        register_dashboard_panel(
            DashboardPanel(key="notifications", render=notifications_dashboard_panel, order=1)
        )
        register_area(
            Area(
                key="audit",
                label=_("Audit log"),
                url_name="audit_log",
                description=_("Every sensitive action on the platform, read only."),
                visible=lambda roles: roles.is_superuser,
                order=95,
            )
        )
        register_area(
            Area(
                key="account",
                label=_("Account and security"),
                url_name="account_email",
                description=_("Your email address, password and two-factor authentication."),
                visible=lambda roles: True,
                order=90,
                in_navigation=False,
            )
        )
        register_area(
            Area(
                key="data",
                label=_("Your data"),
                url_name="data_home",
                description=_("Download a copy of everything about you, or delete your account."),
                visible=lambda roles: True,
                order=91,
                in_navigation=False,
            )
        )
        # Reports: sections come from each app's reports.py; the task module registers itself.
        from django.utils.module_loading import autodiscover_modules

        from learning.reports import tasks as _report_tasks  # noqa: F401

        register_area(
            Area(
                key="reports",
                label=_("Reports"),
                url_name="reports_index",
                description=_("Training, supervision and participation figures, never content."),
                visible=permissions.sees_reports,
                order=70,
            )
        )
        register_area(
            Area(
                key="members",
                label=_("Members"),
                url_name="organisation_members",
                description=_("See who is a member of your organisation and invite colleagues."),
                visible=permissions.sees_organisation_admin,
                url_for=organisation_link("organisation_members"),
                on_dashboard=False,
                order=60,
            )
        )
        autodiscover_modules("reports")
        # Personal data: each app's privacy.py registers how its records about a person are
        # exported and erased (learning/privacy.py).
        autodiscover_modules("privacy")
        # Scale data for the benchmark: the core's steps (people); each app registers its own.
        from learning.scale.steps import register as register_scale_steps

        register_scale_steps()
