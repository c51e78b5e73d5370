"""The privacy registry covers every relation to a person, ours and third-party (the Moodle
privacy-API pattern): a new model that points at the user model fails here until its app's
privacy.py says how it is exported and erased."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from learning import privacy


def _walk() -> set[tuple[str, str]]:
    """Independently of the registry: every field on every installed model that points at a
    person (foreign key, one-to-one, many-to-many), plus the user model's own many-to-manys."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created:
                continue
            if field.related_model is user_model or (model is user_model and field.many_to_many):
                found.add((field.model._meta.label_lower, field.name))
    return found


def test_every_user_relation_in_every_installed_model_is_registered():
    missing = []
    registered = {h.label: h for h in privacy.handlers()}
    for label, name in sorted(_walk()):
        handler = registered.get(label)
        if handler is None or name not in handler.fields:
            missing.append(f"{label}.{name}")
    assert not missing, f"User relations with no privacy handler: {missing}"
    assert privacy.uncovered() == []


def test_the_walk_sees_ours_and_third_party_models():
    walked = {label for label, _name in _walk()}
    for label in (
        "learning.membership",
        "reflection.journalentry",
        "reflection.signoffrequest",
        "community.post",
        "modules.enrolment",
        "account.emailaddress",
        "mfa.authenticator",
        "admin.logentry",
        "wagtailcore.page",
        "wagtailcore.revision",
        "wagtailusers.userprofile",
        "learning.user",  # groups and permissions
    ):
        assert label in walked, label
    assert ("learning.user", "groups") in _walk()
    assert ("reflection.supervisionsession", "attendees") in _walk()


def test_every_handler_says_what_happens_and_can_erase_or_is_kept_by_the_database():
    user_model = get_user_model()
    for handler in privacy.handlers():
        assert handler.note.strip().endswith("."), handler.label
        if handler.erase is not None:
            continue
        # No erase handler: the database must deal with it on delete, and it says so.
        model = apps.get_model(handler.label)
        for name in handler.fields:
            field = model._meta.get_field(name)
            if field.many_to_many:
                continue  # through rows are deleted with the account
            assert field.related_model is user_model
            assert field.remote_field.on_delete.__name__ in {"SET_NULL", "CASCADE"}, name


def test_registered_handlers_name_real_fields():
    for handler in privacy.handlers():
        model = apps.get_model(handler.label)
        for name in handler.fields:
            field = model._meta.get_field(name)  # raises FieldDoesNotExist for a typo
            assert field.name == name


def test_documents_are_the_journal_and_supervision_log():
    assert [d.name for d in privacy.documents()] == ["journal.pdf", "supervision-log.pdf"]
