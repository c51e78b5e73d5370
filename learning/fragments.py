"""A list item's markup as a pure function of the values it shows.

A long list (a thread's replies) renders the same small template once per item, and Django's
template engine spends most of a page's time on that. ``render_item`` renders the item's
template with exactly the values it is given, nothing else: not the request, the person or the
page's context. So the markup depends on nothing outside those values (and the language, time
zone and URL prefix, which are part of the key), and is kept per process
(``learning.cache.local_memo``): the next item with the same values gets the same markup
without rendering. When a reply is edited, marked or moderated, its values change and so does
its key, so there is nothing to invalidate.

Markup that is the same for everyone with a key (the layout's header and footer) is
``{% shared_fragment %}`` in ``learning/templatetags/hope_layout.py``; this is its counterpart
for items that differ from one to the next. Both keep their markup with ``local_memo``.

The CSRF token and a form's one-off submission token (``learning.submissions``) differ on every
response, so a form inside an item renders placeholders that are replaced with the tokens after
the memo. The placeholders hold NUL characters, which no stored text can contain (Django's form
fields refuse them). An item holding an empty form names the form's class: the form is made
inside the render, unbound and with no initial values, so it shows nothing of the request.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Mapping

from django.forms import BaseForm
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from learning.cache import local_memo
from learning.submissions import new_token

CSRF_PLACEHOLDER = "\x00csrf\x00"
SUBMISSION_PLACEHOLDER = "\x00submission\x00"
# Where ``{% submission_token %}`` finds the placeholder in an item's context.
SUBMISSION_CONTEXT = "hope_submission_token"
# Change when an item template's markup changes in a way its values do not show (templates are
# read once per process, as the cached loader reads them).
FRAGMENT_VERSION = 1
# Items kept per process: about eighty threads' pages of replies, under ten megabytes for
# replies of a typical length.
ITEM_MEMO_SIZE = 2048
# Longer text goes into the key as its digest, so the key does not keep a second copy of it.
DIGEST_OVER = 256

_PLAIN = (str, int, float, bool, type(None), datetime.datetime, datetime.date)
# The exact types a key part is most often, answered without walking ``isinstance``: a page
# of replies freezes several hundred values a view.
_EXACT = frozenset({int, float, bool, type(None), datetime.datetime, datetime.date})


class _NotPlain(TypeError):
    """A value that may not go into a key, with the path to it (filled in on the way out)."""

    def __init__(self, kind: type):
        super().__init__(kind.__name__)
        self.kind = kind
        self.path: list[str] = []


def _frozen(value):
    """``value`` as a hashable key part; only plain values may go in (a model instance or a
    lazy object could change what the template reads without changing the key). Each part
    keeps its type: ``1`` and ``True`` are equal in Python but render differently, and so do
    text and text marked safe (which the template does not escape). A dictionary's keys stay in
    the order they were given: the same values given in another order make another key (the
    markup is made once more), never a wrong one."""
    kind = type(value)
    if kind in _EXACT:
        return (kind, value)
    if kind is str or isinstance(value, str):
        if len(value) > DIGEST_OVER:
            return (kind, "digest", hashlib.blake2b(value.encode(), digest_size=32).digest())
        return (kind, value)
    if kind is dict or isinstance(value, Mapping):
        parts = []
        for name, part in value.items():
            try:
                parts.append((name, _frozen(part)))
            except _NotPlain as error:
                error.path.append(str(name))
                raise
        return tuple(parts)
    if isinstance(value, _PLAIN):
        return (kind, value)
    raise _NotPlain(kind)


def _key_part(values: Mapping):
    try:
        return _frozen(values)
    except _NotPlain as error:
        where = ".".join(["values", *reversed(error.path)])
        raise TypeError(
            f"{where} is a {error.kind.__name__}; an item's values must be plain text, numbers, "
            "true or false, dates or dictionaries of them."
        ) from None


def item_renderer(
    template_name: str,
    *,
    csrf_token: str = "",
    empty_form: type[BaseForm] | None = None,
) -> Callable[[Mapping], SafeString]:
    """``render_item`` for many items of one template in one response: what the key takes from
    the response (the language, time zone and URL prefix) is read once, not once an item."""
    where = (
        FRAGMENT_VERSION,
        template_name,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        f"{empty_form.__module__}.{empty_form.__qualname__}" if empty_form else "",
    )

    def render_one(values: Mapping) -> SafeString:
        def render() -> str:
            context = {
                **values,
                "csrf_token": CSRF_PLACEHOLDER,
                SUBMISSION_CONTEXT: SUBMISSION_PLACEHOLDER,
            }
            if empty_form is not None:
                context["form"] = empty_form()
            return str(get_template(template_name).render(context))

        html = local_memo("item_fragment", (where, _key_part(values)), render, size=ITEM_MEMO_SIZE)
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, csrf_token)
        if SUBMISSION_PLACEHOLDER in html:
            html = html.replace(SUBMISSION_PLACEHOLDER, new_token())
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped it

    return render_one


def render_item(
    template_name: str,
    values: Mapping,
    *,
    csrf_token: str = "",
    empty_form: type[BaseForm] | None = None,
) -> SafeString:
    """``template_name`` rendered with ``values`` alone (and, given ``empty_form``, a new
    unbound instance of it as ``form``), kept for the next identical item."""
    return item_renderer(template_name, csrf_token=csrf_token, empty_form=empty_form)(values)
