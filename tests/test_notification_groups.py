"""Email per group of notices (learning.notify_groups): every kind sent is registered in one
group; the email task and the daily summary follow each group's setting and the person's quiet
hours (a fixed clock); security messages ignore both."""

from __future__ import annotations

import ast
import importlib
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.test import TestCase

from learning import notify, notify_groups, tasks
from learning.models import Notification, NotificationPreference

from .factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("learning", "modules", "community", "reflection")


def _committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def _prefer(user, **fields) -> NotificationPreference:
    return NotificationPreference.objects.create(user=user, **fields)


def _send(user, kind: str, n: int = 1, **kwargs):
    return notify.notify(
        recipient=user,
        kind=kind,
        message=lambda: f"Something waits ({n}).",
        url="/dashboard/",
        **kwargs,
    )


# --- every kind sent is registered ------------------------------------------------------------


class _Kinds:
    """Works out, from the source, every string a ``notify(kind=...)`` call can be given:
    literals; f-strings over names; names assigned literals in the function; parameters, from
    what every call of that function in the module passes (literals, or dictionaries with a
    "kind" key for ``**`` calls); and a subscript of a module-level dictionary (its values)."""

    def __init__(
        self, tree: ast.Module, path: Path, imports: dict[ast.Module, set[str]] | None = None
    ):
        self.tree, self.path = tree, path
        # Modules that import a function from this one call it too. ``imports``: each module's
        # tree and the modules it imports from, read once for all (not once per module).
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        self.callers = [tree] + [
            other for other, names in (imports or {}).items() if module in names
        ]
        self.functions = {
            f.name: f
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def function_of(self, node: ast.AST):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def resolve(self, expr: ast.AST, depth: int = 0) -> set[str]:
        where = f"{self.path.relative_to(ROOT)}:{expr.lineno}"
        assert depth < 5, f"cannot follow the kind at {where}"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.JoinedStr):
            results = {""}
            for part in expr.values:
                options = (
                    self.resolve(part.value, depth + 1)
                    if isinstance(part, ast.FormattedValue)
                    else self.resolve(part, depth + 1)
                )
                results = {r + o for r in results for o in options}
            return results
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
            for node in self.tree.body:
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == expr.value.id for t in node.targets)
                    and isinstance(node.value, ast.Dict)
                ):
                    return set().union(*(self.resolve(v, depth + 1) for v in node.value.values))
        if isinstance(expr, ast.Name):
            function = self.function_of(expr)
            found: set[str] = set()
            if function is not None:
                for node in ast.walk(function):
                    if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == expr.id for t in node.targets
                    ):
                        found |= self.resolve(node.value, depth + 1)
                    if isinstance(node, ast.For):
                        found |= self._looped(function, node, expr.id, depth)
                params = [a.arg for a in function.args.args + function.args.kwonlyargs]
                if expr.id in params:
                    found |= self._passed(function, expr.id, depth)
            if found:
                return found
        raise AssertionError(f"cannot tell which kind of notice is sent at {where}")

    def _passed(self, function, name: str, depth: int) -> set[str]:
        index = (
            [a.arg for a in function.args.args].index(name)
            if name in [a.arg for a in function.args.args]
            else None
        )
        found: set[str] = set()
        calls = [n for tree in self.callers for n in ast.walk(tree)]
        for call in calls:
            if not isinstance(call, ast.Call):
                continue
            callee = call.func.id if isinstance(call.func, ast.Name) else None
            callee = callee or (call.func.attr if isinstance(call.func, ast.Attribute) else None)
            if callee != function.name:
                continue
            for keyword in call.keywords:
                if keyword.arg == name:
                    found |= self.resolve(keyword.value, depth + 1)
                elif keyword.arg is None:  # **mapping: every dict literal's "kind" in the module
                    found |= self._dict_values(name, depth)
            if index is not None and index < len(call.args):
                found |= self.resolve(call.args[index], depth + 1)
        return found

    def _looped(self, function, loop: ast.For, name: str, depth: int) -> set[str]:
        """``for name in (...)`` or ``for name, other in ((...), ...)`` over a literal, or over
        a name assigned a literal in the same function."""
        targets = loop.target.elts if isinstance(loop.target, ast.Tuple) else [loop.target]
        position = next(
            (i for i, t in enumerate(targets) if isinstance(t, ast.Name) and t.id == name), None
        )
        if position is None:
            return set()
        items = loop.iter
        if isinstance(items, ast.Name):
            assigned = [
                n.value
                for n in ast.walk(function)
                if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == items.id for t in n.targets)
            ]
            items = assigned[0] if assigned else items
        assert isinstance(items, ast.Tuple | ast.List), "a loop over something not written out"
        found: set[str] = set()
        for item in items.elts:
            value = item.elts[position] if isinstance(loop.target, ast.Tuple) else item
            found |= self.resolve(value, depth + 1)
        return found

    def _dict_values(self, name: str, depth: int) -> set[str]:
        found: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == name:
                        found |= self.resolve(value, depth + 1)
        return found


def _kinds_sent() -> dict[str, str]:
    """kind -> where it is sent, for every ``notify(...)`` call in the product code."""
    sent: dict[str, str] = {}
    trees = {
        path: ast.parse(path.read_text(), filename=str(path))
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }
    imports = {
        tree: {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        for tree in trees.values()
    }
    for path, tree in trees.items():
        kinds = _Kinds(tree, path, imports)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = call.func.id if isinstance(call.func, ast.Name) else None
            if isinstance(call.func, ast.Attribute) and call.func.attr == "notify":
                name = "notify"
            if name != "notify":
                continue
            kind = next((k.value for k in call.keywords if k.arg == "kind"), None)
            if kind is None:
                continue
            for value in kinds.resolve(kind):
                sent.setdefault(value, f"{path.relative_to(ROOT)}:{call.lineno}")
    return sent


def test_every_kind_sent_anywhere_is_registered_in_one_group():
    sent = _kinds_sent()
    registered = notify_groups.notice_kinds()
    assert len(sent) >= 30  # the resolver found the calls (a broken walk finds nothing)
    missing = {kind: where for kind, where in sent.items() if kind not in registered}
    assert missing == {}, f"register these kinds in their app's notice_kinds: {missing}"
    assert registered["community.reply"] == notify_groups.REPLIES
    assert registered["assignment.overdue"] == notify_groups.WAITING
    assert registered["account.changed_by_admin"] == notify_groups.ACCOUNT


def test_a_kind_belongs_to_one_group_and_an_unregistered_kind_is_refused():
    with pytest.raises(ValueError):
        notify_groups.notice_kind_register("community.reply", notify_groups.MENTIONS)
    with pytest.raises(ValueError):
        notify_groups.notice_kind_register("tests.somewhere", "elsewhere")
    with pytest.raises(ValueError):
        _send(UserFactory(), "nobody.registered.this")
    assert not Notification.objects.exists()


# --- the email straight away --------------------------------------------------------------------


def test_the_email_follows_the_group_setting_and_else_the_overall_choice():
    user = UserFactory(email_notifications="off")
    _prefer(user, replies="immediately", mentions="off", waiting="")
    with _committed():
        _send(user, "community.reply", 1)  # the group says straight away
        _send(user, "community.mention", 2)  # the group says never
        _send(user, "signoff.waiting", 3)  # not set: the overall choice, never
    assert [m.subject for m in mail.outbox] == ["Holding Hope: Something waits (1)."]


def test_the_email_task_checks_the_group_setting_again_when_it_runs():
    user = UserFactory(email_notifications="immediately")
    notice = _send(user, "community.reply")
    _prefer(user, replies="daily")
    assert notify.notification_email_send(notification_id=notice.pk) is False
    assert mail.outbox == []
    assert Notification.objects.get(pk=notice.pk).emailed_at is None  # for the summary


LONDON_2300 = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)  # 23:00 in London (GMT in December)


def test_an_email_in_quiet_hours_is_held_with_its_attachment_and_sent_when_they_end():
    notify.attachment_register(
        "tests.quiet", lambda pk: notify.Attachment(f"{pk}.ics", "BEGIN:VCALENDAR", "text/calendar")
    )
    user = UserFactory()
    _prefer(user, quiet_from=time(22, 0), quiet_until=time(7, 0))
    with time_machine.travel(LONDON_2300, tick=False), _committed():
        notice = _send(user, "community.session_changed", attachment=("tests.quiet", 5))
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.email_held_until == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert notice.email_attachment == ["tests.quiet", 5]
    with time_machine.travel(datetime(2026, 12, 3, 6, 59, tzinfo=UTC), tick=False):
        assert notify.held_emails_due() == []
        with _committed():
            tasks.notification_held_send()
        assert mail.outbox == []
    with time_machine.travel(datetime(2026, 12, 3, 7, 5, tzinfo=UTC), tick=False):
        assert notify.held_emails_due() == [notice.pk]
        with _committed():
            tasks.notification_held_send()
            tasks.notification_held_send()  # a repeat sends nothing twice
        assert notify.held_emails_due() == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments == [("5.ics", "BEGIN:VCALENDAR", "text/calendar")]


def test_a_held_email_is_dropped_if_the_person_turns_that_group_off():
    user = UserFactory()
    preference = _prefer(user, quiet_from=time(22, 0), quiet_until=time(7, 0))
    with time_machine.travel(LONDON_2300, tick=False), _committed():
        notice = _send(user, "community.reply")
    preference.replies = "off"
    preference.save()
    with time_machine.travel(datetime(2026, 12, 3, 7, 5, tzinfo=UTC), tick=False):
        with _committed():
            tasks.notification_held_send()
        assert notify.held_emails_due() == []
    assert mail.outbox == []
    assert Notification.objects.get(pk=notice.pk).email_held_until is None


def test_quiet_hours_during_the_day_and_in_summer_time():
    start, end = time(9, 0), time(17, 0)
    summer_noon = datetime(2026, 7, 1, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)
    assert notify_groups.in_quiet_hours(start, end, summer_noon)
    assert not notify_groups.in_quiet_hours(start, end, datetime(2026, 7, 1, 16, 0, tzinfo=UTC))
    assert notify_groups.quiet_hours_end(end, summer_noon) == datetime(
        2026, 7, 1, 16, 0, tzinfo=UTC
    )
    assert not notify_groups.in_quiet_hours(None, None, summer_noon)


def test_security_messages_ignore_settings_and_quiet_hours():
    user = UserFactory(email_notifications="off")
    _prefer(
        user,
        quiet_from=time(22, 0),
        quiet_until=time(7, 0),
        **dict.fromkeys(
            ("replies", "mentions", "moderation", "sessions", "waiting", "decisions"), "off"
        ),
    )
    with time_machine.travel(LONDON_2300, tick=False), _committed():
        notify.notify(
            recipient=user,
            kind="account.changed_by_admin",
            message=lambda: "Your account was changed.",
            url="/account/",
            always_email=True,
        )
    assert [m.subject for m in mail.outbox] == ["Holding Hope: Your account was changed."]


# --- the daily summary ----------------------------------------------------------------------------


def test_the_daily_summary_lists_only_the_groups_chosen_for_it():
    user = UserFactory(email_notifications="immediately")
    _prefer(user, replies="daily", mentions="off", waiting="immediately")
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False), _committed():
        _send(user, "community.reply", 1)
        _send(user, "community.mention", 2)
        _send(user, "signoff.waiting", 3)
    assert [m.subject for m in mail.outbox] == ["Holding Hope: Something waits (3)."]
    with time_machine.travel(datetime(2026, 12, 3, 6, 30, tzinfo=UTC), tick=False):
        assert notify.digest_recipients() == [user.pk]
        with _committed():
            tasks.notification_digests_send()
    summary = mail.outbox[-1]
    assert summary.subject == "Holding Hope: your daily summary"
    assert "(1)" in summary.body and "(2)" not in summary.body and "(3)" not in summary.body
    assert notify.digest_recipients() == []


def test_the_daily_summary_waits_for_quiet_hours_to_end():
    user = UserFactory(email_notifications="daily")
    _prefer(user, quiet_from=time(5, 0), quiet_until=time(8, 0))
    awake = UserFactory(email_notifications="daily")
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False), _committed():
        _send(user, "community.reply", 1)
        _send(awake, "community.reply", 2)
    with time_machine.travel(datetime(2026, 12, 3, 6, 30, tzinfo=UTC), tick=False):
        assert notify.digest_recipients() == [awake.pk]
        assert notify.notification_digest_send(user_id=user.pk) is False
        with _committed():
            tasks.notification_digests_send()
            tasks.notification_held_send()
    assert [m.to for m in mail.outbox] == [[awake.email]]
    with time_machine.travel(datetime(2026, 12, 3, 8, 0, tzinfo=UTC), tick=False):
        assert notify.digests_held_due() == [user.pk]
        with _committed():
            tasks.notification_held_send()
            tasks.notification_held_send()
        assert notify.digests_held_due() == []
    assert [m.to for m in mail.outbox] == [[awake.email], [user.email]]
    assert "(1)" in mail.outbox[-1].body


def test_existing_choices_are_carried_over_to_every_group():
    migration = importlib.import_module(
        "learning.migrations.0015_notification_preferences_per_group"
    )
    daily = UserFactory(email_notifications="daily")
    never = UserFactory(email_notifications="off")
    straight = UserFactory(email_notifications="immediately")
    migration.carry_over_choices(apps, None)
    assert NotificationPreference.objects.get(user=daily).sessions == "daily"
    assert NotificationPreference.objects.get(user=never).decisions == "off"
    assert not NotificationPreference.objects.filter(user=straight).exists()
