"""Assignment due dates in a person's calendar feed (registered with ``learning.calendar``)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from learning.calendar import CalendarEvent, all_day, calendar_uid
from learning.models import User
from learning.site_url import absolute_url
from modules.assignments.selectors import assignments_for, module_link


def assignment_events_for(user: User, today: date) -> list[CalendarEvent]:
    """Each open assignment due today or later, as an all-day event on its due date (one
    query). Completed and cancelled assignments are left out."""
    events = []
    for assignment in assignments_for(user).filter(due_on__gte=today):
        starts, ends = all_day(assignment.due_on)
        events.append(
            CalendarEvent(
                uid=calendar_uid("assignment", assignment.pk),
                summary=_("Due: %(module)s") % {"module": assignment.module.title},
                starts=starts,
                ends=ends,
                url=absolute_url(module_link(assignment.module)),
                busy=False,
            )
        )
    return events
