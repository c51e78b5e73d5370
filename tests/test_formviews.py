"""The form-view helper (learning/formviews.py): each thing a service raises, mapped once."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from learning.formviews import ServiceResult, call_service, form_errors_add
from learning.guard import guard


class PostForm(forms.Form):
    title = forms.CharField(label="Title")
    body = forms.CharField(label="Your post", widget=forms.Textarea)
    confirm_identifiers = forms.BooleanField(required=False)


def _form(**data) -> PostForm:
    form = PostForm({"title": "A question", "body": "Text", **data})
    assert form.is_valid()
    return form


def _raise(exc):
    def call():
        raise exc

    return call


def test_success_returns_the_service_value_and_leaves_the_form_alone():
    form = _form()
    result = call_service(form, lambda: 42)
    assert result == ServiceResult(ok=True, value=42, context={})
    assert not form.errors


def test_identifiers_found_gives_the_panel_and_keeps_what_was_typed():
    typed = "Her NHS number is 943 476 5919."
    form = _form(body=typed)
    result = call_service(
        form,
        lambda: guard({"body": typed, "summary": "Born 12/03/2024."}, confirmed=False),
        labels={"summary": "Learning summary"},
    )
    assert not result.ok and result.value is None
    items = result.context["identifiers"]
    assert [(i["label"], i["id"]) for i in items] == [
        ("Your post", "id_body"),
        ("Learning summary", "summary"),
    ]
    assert ("943 476 5919", "an NHS number") in items[0]["pieces"]
    assert not form.errors  # a question for the writer, not an error on the form
    assert form["body"].value() == typed


def test_validation_errors_go_on_their_fields_and_the_rest_on_the_form():
    form = _form()
    result = call_service(
        form,
        _raise(ValidationError({"body": "Write your post.", "space": "Not open just now."})),
    )
    assert result == ServiceResult(ok=False)
    assert form.errors["body"] == ["Write your post."]
    assert form.non_field_errors() == ["Not open just now."]


def test_a_validation_error_without_a_field_is_a_non_field_error():
    form = _form()
    call_service(form, _raise(ValidationError("This thread is locked.")))
    assert form.non_field_errors() == ["This thread is locked."]
    assert set(form.errors) == {"__all__"}


def test_a_service_field_can_be_shown_on_a_form_field_of_another_name():
    form = _form()
    form_errors_add(form, ValidationError({"reason": "Give a reason."}), fields={"reason": "body"})
    assert form.errors["body"] == ["Give a reason."]


def test_permission_denied_is_404():
    with pytest.raises(Http404):
        call_service(_form(), _raise(PermissionDenied))
