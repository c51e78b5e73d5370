"""Forms for the community. They parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.mentions.services import MENTION_MAX
from community.models import FlagReason
from community.threads.services import BODY_MAX
from learning.forms import id_from

BODY_HELP = _(
    "Leave a blank line between paragraphs. To mention a member of this space, type @ and "
    "their name, for example @Sam Practitioner. Do not include anything that could identify a "
    "woman, a baby or a family."
)

TOO_LONG = {"max_length": _("Your post must be %(limit_value)s characters or fewer.")}


class _GuardMixin(forms.Form):
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )
    # The people chosen from the suggestions while typing (static/js/community.mjs adds one
    # hidden input each). Without JavaScript there are none: names typed after @ are matched
    # to the space's members when the post is saved.
    mention = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    # Set once the writer has been shown the safeguarding prompt (learning.guard): posting
    # again then posts.
    safeguarding_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def written_text(self) -> str:
        """What the writer typed, one field to a paragraph, for the safeguarding prompt."""
        return "\n\n".join(
            str(self.data.get(name, "")) for name in ("title", "body") if name in self.fields
        )

    def clean_mention(self) -> list[int]:
        values = self.cleaned_data.get("mention") or []
        if isinstance(values, str):
            values = [values]
        ids = (id_from(v) for v in values[:MENTION_MAX])
        return [pk for pk in ids if pk is not None]


class ThreadForm(_GuardMixin):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for your thread.")},
    )
    body = forms.CharField(
        label=_("Your post"),
        widget=forms.Textarea,
        max_length=BODY_MAX,
        help_text=BODY_HELP,
        error_messages={**TOO_LONG, "required": _("Write your post before you send it.")},
    )
    anonymous = forms.BooleanField(
        label=_("Ask without your name"),
        required=False,
        help_text=_(
            "Other members will not see your name. Facilitators can find out who wrote it only "
            "by a recorded action, for example if there is a safeguarding concern."
        ),
    )


class ReplyForm(_GuardMixin):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea,
        max_length=BODY_MAX,
        help_text=BODY_HELP,
        error_messages={**TOO_LONG, "required": _("Write your reply before you send it.")},
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditForm(_GuardMixin):
    body = forms.CharField(
        label=_("Your post"),
        widget=forms.Textarea,
        max_length=BODY_MAX,
        help_text=BODY_HELP,
        error_messages={**TOO_LONG, "required": _("Write your post before you save it.")},
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this post?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you are reporting this post.")},
    )
    detail = forms.CharField(
        label=_("Tell the facilitators more (optional unless you chose something else)"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
        help_text=_("The author sees this reason."),
    )


class FacilitatorAppointForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Person to make a facilitator"),
        coerce=int,
        help_text=_(
            "Members of the organisation this space belongs to. A facilitator moderates the "
            "space and can ask to reveal an anonymous author."
        ),
        error_messages={
            "required": _("Choose the person to make a facilitator."),
            "invalid_choice": _("Choose a member of the organisation this space belongs to."),
        },
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Choose a person"))] + [
            (person.pk, f"{person} ({person.email})") for person in candidates
        ]


class RevealReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need to know who wrote it"),
        max_length=500,
        widget=forms.Textarea,
        help_text=_(
            "A second facilitator of this space or the national coordinator reads this before "
            "they confirm. It is recorded in the moderation log."
        ),
        error_messages={"required": _("Give a reason. The person who confirms will see it.")},
    )


class ModeratorEditForm(forms.Form):
    body = forms.CharField(
        label=_("Post text"),
        widget=forms.Textarea,
        max_length=BODY_MAX,
        error_messages={**TOO_LONG, "required": _("The post cannot be empty. Hide it instead.")},
    )
    reason = forms.CharField(
        label=_("Reason for the edit"),
        max_length=500,
        help_text=_("The author sees this reason."),
        error_messages={"required": _("Give a reason. The author will see it.")},
    )


class SlowModeForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes between replies from each member (0 turns slow mode off)"),
        min_value=0,
        max_value=24 * 60,
        error_messages={"required": _("Enter a number of minutes from 0 to 1440.")},
    )


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=1,
        max_value=365,
        error_messages={"required": _("Enter a number of days from 1 to 365.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give a reason for the suspension.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to invite"),
        error_messages={
            "required": _("Enter the email address of the person to invite."),
            "invalid": _("Enter an email address in the right format, like name@example.nhs.uk."),
        },
    )


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the session.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time it starts"),
        help_text=_("For example, 2026-03-14 14:00"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Enter the date and time the session starts."),
            "invalid": _("Enter the date and time as a real date and time, like 2026-03-14 14:00."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=1,
        max_value=480,
        error_messages={"required": _("Enter a length from 1 to 480 minutes.")},
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=500,
        error_messages={"required": _("Enter how many people can join, from 1 to 500.")},
    )
    joining_details = forms.CharField(
        label=_("Joining details"),
        max_length=1000,
        widget=forms.Textarea,
        help_text=_("A room, or how to dial in, and anything people need to bring."),
        error_messages={"required": _("Say how people join the session.")},
    )
    meeting_url = forms.CharField(
        label=_("Online meeting link (optional)"),
        max_length=500,
        required=False,
        help_text=_(
            "A web address starting https://. Only people with a place, and facilitators, see it."
        ),
    )


class SessionCreateForm(SessionForm):
    repeat = forms.ChoiceField(
        label=_("Does it repeat?"),
        required=False,
        widget=forms.RadioSelect,
        initial="",
        choices=[
            ("", _("No, just once")),
            ("weekly", _("Every week, at the same time")),
            ("monthly", _("Every month, on the same date")),
        ],
    )
    occurrences = forms.IntegerField(
        label=_("How many sessions in the series"),
        required=False,
        min_value=2,
        max_value=12,
        help_text=_("From 2 to 12, the first included. Leave empty if it does not repeat."),
        error_messages={
            "min_value": _("Enter a number of sessions from 2 to 12."),
            "max_value": _("Enter a number of sessions from 2 to 12."),
        },
    )


class SessionEditForm(SessionForm):
    scope = forms.ChoiceField(
        label=_("Which sessions should change?"),
        required=False,
        widget=forms.RadioSelect,
        initial="one",
        choices=[
            ("one", _("Only this session")),
            ("series", _("This session and every later one in the series")),
        ],
        help_text=_("A new start time moves each later session by the same amount."),
    )
