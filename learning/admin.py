"""The Django admin, for operations staff (off in production; Wagtail is the editors' admin).

Nothing here shows reflective content; the audit log is read-only.
"""

from importlib import import_module

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from learning import account_changes
from learning.models import AuditEvent, Invitation, Membership, Organisation, User

# allauth's own admin for authenticators shows their data, which holds the TOTP secret and the
# recovery-code seed. Ours shows only whose it is, its kind and when it was used. allauth's admin
# module is imported first so that its registration is the one replaced, whatever the app order.
import_module("allauth.mfa.admin")
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.delete_queryset(request, Authenticator.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        for user_id in set(queryset.values_list("user_id", flat=True)):
            before = account_changes.account_snapshot(user_id)
            queryset.filter(user_id=user_id).delete()
            account_changes.account_admin_changes_record(
                actor=request.user, user_id=user_id, before=before, request=request
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("organisation", "role", "started_on", "ended_on")
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "professional_role", "is_active", "is_superuser")
    list_filter = ("is_active", "is_superuser", "professional_role", "groups")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "professional_role",
                    "professional_register",
                    "registration_number",
                    "registration_renewal_on",
                    "employee_number",
                    "registration_number_shown",
                )
            },
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups",)
    inlines = [MembershipInline]

    # Every change to someone's email, password, groups, flags or two-factor is audited, and a
    # new email address waits for its owner to confirm it (learning/account_changes.py).
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        before = None
        if request.method == "POST" and object_id:
            before = account_changes.account_snapshot(int(object_id))
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if before is not None and response.status_code == 302:
            account_changes.account_admin_changes_record(
                actor=request.user, user_id=int(object_id), before=before, request=request
            )
        return response

    def user_change_password(self, request, id, form_url=""):
        before = account_changes.account_snapshot(int(id)) if request.method == "POST" else None
        response = super().user_change_password(request, id, form_url)
        if before is not None and response.status_code == 302:
            account_changes.account_admin_changes_record(
                actor=request.user, user_id=int(id), before=before, request=request
            )
        return response


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "in_wales")
    list_filter = ("kind", "region", "in_wales")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role", "organisation")
    search_fields = ("email",)
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False  # invitations are made by organisation admins, through the service


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "target_type", "target_id", "organisation")
    list_filter = ("action",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
