"""One way for a form view to call a service and show what went wrong.

``call_service(form, lambda: some_service(...))`` runs the service and maps what it raises:

- ``IdentifiersFound``: nothing is saved; the result's ``context`` holds ``identifiers`` (the
  highlight-and-confirm panel's items) and the bound form keeps what the person typed;
- ``ValidationError``: the messages go on the form, each on its field if the form has it (or on
  the field named in ``fields``), the rest as non-field errors;
- ``PermissionDenied``: 404, so a page the person may not act on looks like one that is not
  there.

The view then renders its own template with ``result.context``; the template shows the panel
with ``includes/identifier_guard.html`` and the errors with ``includes/error_summary.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404

from learning.guard import IdentifiersFound, panel_items


@dataclass
class ServiceResult:
    """What came of the call: ``ok`` and the service's return ``value``, or the ``context``
    to render the form again with."""

    ok: bool
    value: Any = None
    context: dict = field(default_factory=dict)


def form_errors_add(
    form: BaseForm, exc: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each field's messages on that field (or on
    the form field ``fields`` names for it), anything else as non-field errors."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        name = fields.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


def call_service(
    form: BaseForm,
    call: Callable[[], Any],
    *,
    labels: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> ServiceResult:
    """Run ``call`` (a service call) for ``form`` and map its errors (see the module notes).
    ``labels`` names texts the guard checked that are not form fields (for the panel)."""
    try:
        value = call()
    except PermissionDenied as exc:
        raise Http404 from exc
    except IdentifiersFound as exc:
        return ServiceResult(
            ok=False, context={"identifiers": panel_items(exc, form, labels=labels)}
        )
    except ValidationError as exc:
        form_errors_add(form, exc, fields=fields)
        return ServiceResult(ok=False)
    return ServiceResult(ok=True, value=value)
