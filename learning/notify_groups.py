"""Which group each kind of notice belongs to, each person's email choice per group, and their
quiet hours.

A person chooses, for each group of notices, whether to be emailed straight away, in the daily
summary or never. Apps register every kind they send with ``notice_kind_register(kind, group)``
from their ``AppConfig.ready()`` (the core imports no app); ``notify`` refuses a kind nobody
registered, and a test reads every ``notify(...)`` call in the code to check each kind is here.

A group a person has not set follows their overall choice (``User.email_notifications``).
Security and account messages (the ``account`` group) are always emailed and have no setting.

Quiet hours are a start and an end time in Europe/London: an email due straight away in quiet
hours is held and sent when they end, and the daily summary waits until they end too.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from learning.models import NotificationPreference, User

IMMEDIATELY, DAILY, OFF = "immediately", "daily", "off"
LONDON = ZoneInfo("Europe/London")
StrOrPromise = str | Promise

REPLIES, MENTIONS, MODERATION, SESSIONS, WAITING, DECISIONS = (
    "replies",
    "mentions",
    "moderation",
    "sessions",
    "waiting",
    "decisions",
)
ACCOUNT = "account"  # always emailed, whatever the person chose: no setting

# The groups a person sets, in the order the settings page asks about them: (key, legend,
# hint). Each key is also a field of ``NotificationPreference``.
GROUPS: tuple[tuple[str, StrOrPromise, StrOrPromise], ...] = (
    (REPLIES, _("Replies"), _("New replies in threads you follow.")),
    (MENTIONS, _("Mentions"), _("Someone mentions you in a post.")),
    (
        MODERATION,
        _("Moderation outcomes"),
        _(
            "A facilitator approves, returns, hides or edits your post, or decides about your "
            "place in a space."
        ),
    ),
    (
        SESSIONS,
        _("Reflective session changes"),
        _(
            "Places, waiting lists, reminders and changes to community reflective sessions "
            "you signed up to."
        ),
    ),
    (
        WAITING,
        _("Things waiting for you"),
        _(
            "Sign-off requests, supervision records to confirm, supervision proposals and "
            "reminders, modules assigned to you, certificates ready and invitations to spaces."
        ),
    ),
    (DECISIONS, _("Sign-off decisions"), _("A supervisor signs off or returns your reflection.")),
)
GROUP_KEYS = frozenset(key for key, _legend, _hint in GROUPS)

# kind -> group
_KINDS: dict[str, str] = {}


def notice_kind_register(kind: str, group: str) -> None:
    """Say which group ``kind`` belongs to (called from an app's ``ready()``). A kind belongs
    to exactly one group: registering it again in another group is an error."""
    if group not in GROUP_KEYS and group != ACCOUNT:
        raise ValueError(f"{group!r} is not a group of notices.")
    if _KINDS.get(kind, group) != group:
        raise ValueError(f"{kind!r} is already in the group {_KINDS[kind]!r}.")
    _KINDS[kind] = group


def notice_group(kind: str) -> str:
    """The group ``kind`` belongs to; ``KeyError`` if nobody registered it."""
    return _KINDS[kind]


def notice_kinds() -> dict[str, str]:
    """Every registered kind and its group."""
    return dict(_KINDS)


def email_choice(user: User, kind: str) -> str:
    """What ``user`` chose for email about ``kind``: their group setting, else their overall
    choice. Reads ``user.notification_preference`` (select it with the user to save a query)."""
    group = notice_group(kind)
    if group == ACCOUNT:
        return IMMEDIATELY
    preference = preference_of(user)
    chosen = getattr(preference, group, "") if preference is not None else ""
    return chosen or user.email_notifications


def preference_of(user: User) -> NotificationPreference | None:
    """The person's settings row, if any: the one selected with them, else one query (a
    service telling several people reads each one's row once, not through the relation)."""
    cached = user._state.fields_cache
    if "notification_preference" not in cached:
        cached["notification_preference"] = NotificationPreference.objects.filter(
            user_id=user.pk
        ).first()
    return cached["notification_preference"]


def email_choice_expression(prefix: str = "recipient__") -> Case:
    """The same choice in SQL, for a query over notifications: per row, the recipient's setting
    for the group of the row's kind, else their overall choice."""
    overall = F(f"{prefix}email_notifications")
    whens = []
    for group in sorted(GROUP_KEYS):
        kinds = sorted(k for k, g in _KINDS.items() if g == group)
        if kinds:
            chosen = NullIf(F(f"{prefix}notification_preference__{group}"), Value(""))
            whens.append(When(kind__in=kinds, then=Coalesce(chosen, overall)))
    return Case(*whens, default=overall, output_field=CharField())


# --- quiet hours -----------------------------------------------------------------------------


def in_quiet_hours(start: time | None, end: time | None, moment: datetime) -> bool:
    """Whether ``moment`` falls in the quiet hours from ``start`` to ``end`` (London time; the
    hours may run over midnight, for example 22:00 to 07:00)."""
    if start is None or end is None or start == end:
        return False
    local = moment.astimezone(LONDON).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(end: time, moment: datetime) -> datetime:
    """The first time after ``moment`` that the quiet hours end (London time)."""
    local = moment.astimezone(LONDON)
    candidate = datetime.combine(local.date(), end, tzinfo=LONDON)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=LONDON)
    return candidate


def held_until(user: User, moment: datetime) -> datetime | None:
    """If ``moment`` is in ``user``'s quiet hours, when they end; else ``None``."""
    preference = preference_of(user)
    if preference is None or not in_quiet_hours(
        preference.quiet_from, preference.quiet_until, moment
    ):
        return None
    assert preference.quiet_until is not None
    return quiet_hours_end(preference.quiet_until, moment)
