"""The form an organisation admin uses to assign a module: which module, when it is due (three
NHS date inputs), and to whom (selected members, or everyone with a role)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning.forms import IdChoiceField, IdMultipleChoiceField, id_from
from learning.models import Organisation, Role
from modules.assignments.services import assignable_members, assignable_modules, due_on_check

MEMBERS = "members"
ROLE = "role"
# Checkboxes offered at once; a larger organisation finds the rest by name or email.
MEMBER_LIMIT = 100


class DateInputsWidget(forms.MultiWidget):
    """Day, month and year as three text inputs (``due_on_day`` and so on). The value is kept
    as typed, so nothing is lost when the form comes back with an error."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        inputs = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(inputs, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateInputsField(forms.Field):
    widget = DateInputsWidget

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = [(p or "").strip() for p in (value or [None, None, None])]
        if not any(parts):
            return None
        missing = [name for name, part in zip(PART_NAMES, parts, strict=True) if not part]
        if missing:
            raise ValidationError(
                _("The %(what)s must include a %(part)s.")
                % {"what": self.what, "part": PART_LABELS[missing[0]]}
            )
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            return date(year, month, day)
        except ValueError as exc:
            raise ValidationError(
                _("The %(what)s must be a real date, like 31 3 2027.") % {"what": self.what}
            ) from exc


PART_NAMES = ("day", "month", "year")
PART_LABELS = {"day": _("day"), "month": _("month"), "year": _("year")}


class MemberChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.display_name
        return f"{name} ({obj.email})" if name else obj.email


class AssignmentForm(forms.Form):
    module = IdChoiceField(
        label=_("Module"),
        queryset=assignable_modules(),
        empty_label=_("Choose a module"),
        error_messages={
            "required": _("Choose the module to assign."),
            "invalid_choice": _("Choose a module from the list."),
        },
    )
    due_on = DateInputsField(
        what=_("due date"),
        label=_("Due date"),
        help_text=_("For example, 31 3 2027"),
        error_messages={"required": _("Enter the date the module should be completed by.")},
    )
    target = forms.ChoiceField(
        label=_("Who should do it?"),
        choices=[(MEMBERS, _("Selected members")), (ROLE, _("Everyone with a role"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose whether to assign the module to selected members or to everyone with "
                "a role."
            )
        },
    )
    users = MemberChoiceField(
        label=_("Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose members from the list."),
            "invalid_pk_value": _("Choose members from the list."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a role from the list.")},
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["users"].queryset = assignable_members(organisation)
        self.more_members = False
        self.member_limit = MEMBER_LIMIT

    def show_members(self, find: str = "") -> None:
        """Offer at most ``MEMBER_LIMIT`` members as checkboxes (those matching ``find`` by
        name or email, by name), plus any already ticked, instead of every member of a large
        organisation. Call it only to render the form: validation still accepts any current
        member, whether shown or not."""
        members = self.fields["users"].queryset
        shown_qs = members
        if find:
            shown_qs = shown_qs.filter(Q(display_name__icontains=find) | Q(email__icontains=find))
        shown = list(shown_qs.only("pk", "display_name", "email")[: MEMBER_LIMIT + 1])
        self.more_members = len(shown) > MEMBER_LIMIT
        shown = shown[:MEMBER_LIMIT]
        ticked_values = self["users"].value() if self.is_bound else None
        ticked = {n for n in map(id_from, ticked_values or []) if n is not None} - {
            u.pk for u in shown
        }
        if ticked:  # kept on the page when the form comes back with an error
            shown += list(members.filter(pk__in=ticked).only("pk", "display_name", "email"))
        field = self.fields["users"]
        field.widget.choices = [(u.pk, field.label_from_instance(u)) for u in shown]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        try:
            due_on_check(due_on)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["due_on"]) from exc
        return due_on

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target == MEMBERS and not cleaned.get("users") and "users" not in self.errors:
            self.add_error("users", _("Choose at least one member to assign the module to."))
        if target == ROLE and not cleaned.get("role") and "role" not in self.errors:
            self.add_error("role", _("Choose the role whose members should do the module."))
        return cleaned

    def service_kwargs(self) -> dict:
        """What ``assignment_create`` needs, from the cleaned data."""
        data = self.cleaned_data
        who = (
            {"users": list(data["users"])} if data["target"] == MEMBERS else {"role": data["role"]}
        )
        return {"module": data["module"], "due_on": data["due_on"], **who}

    def error_summary(self) -> list[tuple[str, str]]:
        """Each error with the id its error-summary link should land on, in page order."""
        anchors = {
            "due_on": "id_due_on_day",
            "target": "id_target_0",
            "users": "id_users_0",
            "role": "id_role_0",
        }
        items = [("id_module", str(e)) for e in self.non_field_errors()]
        for name in self.fields:
            items += [(anchors.get(name, f"id_{name}"), str(e)) for e in self.errors.get(name, [])]
        return items
