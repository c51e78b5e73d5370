"""Calendar files (RFC 5545 and its scheduling rules, RFC 5546), written by the ``icalendar``
library: the one place the project makes iCalendar text.

- ``CalendarEvent``: one event, as the apps describe it (an id that stays the same for the
  life of the thing it stands for, and a sequence number that goes up each time it changes, so
  a calendar client updates the event it already holds rather than adding another).
- ``calendar_text(events, method=...)``: a VCALENDAR. ``PUBLISH`` for a subscribed feed,
  ``REQUEST`` for an invitation or an updated one, ``CANCEL`` for a cancellation (each event
  then says ``STATUS:CANCELLED``).
- ``calendar_attachment(event, method=...)``: the same text as an email attachment for
  ``learning.notify``.
- The feed's sources: each app registers a function giving the events of one person
  (``calendar_source_register``), so one personal feed holds community sessions, supervision
  and assignment due dates without the core importing any app (``calendar_events_for``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from learning.language import in_language_of
from learning.models import User
from learning.notify import Attachment
from learning.site_url import site_host

PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"
PRODID = "-//Holding Hope//Holding Hope//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One event. ``starts``/``ends`` are aware datetimes, or dates for an all-day event
    (``ends`` is then the day after the last day, as RFC 5545 counts it)."""

    uid: str
    summary: str
    starts: datetime | date
    ends: datetime | date
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    busy: bool = True
    attendee_email: str = ""
    attendee_name: str = ""


def _organiser() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL or "")
    organiser = vCalAddress(f"mailto:{address or 'no-reply@localhost'}")
    organiser.params["cn"] = vText(name or settings.HOPE_PRODUCT_NAME)
    return organiser


def _when(value: datetime | date) -> datetime | date:
    """Times in UTC to the second (what iCalendar holds); dates as they are."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0)
    return value


def _event(item: CalendarEvent, *, method: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", item.sequence)
    event.add("summary", item.summary)
    event.add("dtstart", _when(item.starts))
    event.add("dtend", _when(item.ends))
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    cancelled = item.cancelled or method == CANCEL
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE" if item.busy else "TRANSPARENT")
    if method in (REQUEST, CANCEL):
        # An invitation names who sends it and who it is for (RFC 5546 3.2.2 and 3.2.5).
        event.add("organizer", _organiser())
        if item.attendee_email:
            attendee = vCalAddress(f"mailto:{item.attendee_email}")
            if item.attendee_name:
                attendee.params["cn"] = vText(item.attendee_name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("ACCEPTED")
            attendee.params["rsvp"] = vText("FALSE")
            event.add("attendee", attendee)
    return event


def calendar_text(
    events: Iterable[CalendarEvent],
    *,
    method: str = PUBLISH,
    name: str = "",
    now: datetime | None = None,
) -> str:
    """A VCALENDAR holding ``events`` (CRLF line ends, folded and escaped by the library)."""
    if method not in (PUBLISH, REQUEST, CANCEL):
        raise ValueError(f"Unknown calendar method {method!r}.")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(_event(item, method=method, stamp=stamp))
    return cal.to_ical().decode("utf-8")


def calendar_attachment(
    event: CalendarEvent, *, method: str, filename: str = "invitation.ics"
) -> Attachment:
    """An invitation (``REQUEST``) or a cancellation (``CANCEL``) of one event, to attach to a
    notification's email."""
    return Attachment(
        filename,
        calendar_text([event], method=method),
        f"text/calendar; charset=utf-8; method={method}",
    )


def calendar_uid(*parts: object) -> str:
    """A UID that stays the same for the life of what it names (the parts: a kind and ids),
    under this site's host name."""
    host = site_host()
    return "-".join(str(p) for p in parts) + "@" + host


def all_day(on: date) -> tuple[date, date]:
    """The start and end of an all-day event on ``on``."""
    return on, on + timedelta(days=1)


# --- the personal feed's sources ------------------------------------------------------------

# key -> events_for(user, today): each app's events for one person, from today on.
_SOURCES: dict[str, Callable[[User, date], list[CalendarEvent]]] = {}


def calendar_source_register(
    key: str, events_for: Callable[[User, date], list[CalendarEvent]]
) -> None:
    """Let an app put its events in each person's feed (called from ``ready()``). Each source
    costs a fixed number of queries, whatever the person has."""
    _SOURCES[key] = events_for


def calendar_events_for(user: User, *, today: date) -> list[CalendarEvent]:
    """Every registered source's events for ``user``, soonest first."""
    events = [e for key in sorted(_SOURCES) for e in _SOURCES[key](user, today)]

    def when(e: CalendarEvent) -> datetime:
        s = e.starts
        if isinstance(s, datetime):
            return s.astimezone(UTC)
        return datetime(s.year, s.month, s.day, tzinfo=UTC)

    return sorted(events, key=lambda e: (when(e), e.uid))


def calendar_feed_text(user: User, *, today: date) -> str:
    """The personal feed for ``user``, in their language: a calendar program reads it with no
    session and no language of its own, so the titles the apps write ("Due: …", "Supervision
    with …") and the feed's name are put in the person's language here."""
    with in_language_of(user):
        events = calendar_events_for(user, today=today)
        return calendar_text(events, name=_("Holding Hope"))
