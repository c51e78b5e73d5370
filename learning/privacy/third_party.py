"""Privacy handlers for Django's, allauth's and Wagtail's models that point at a person."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone

from learning.privacy import combine, register, rows_delete, rows_export, rows_unlink

KEPT_CONTENT = (
    "Kept: platform content, not about the person. The link to them is set to empty "
    "(pseudonymised) so nobody can tell who did it."
)
DELETED = "Deleted with the account."

# allauth: email addresses and two-factor authentication.
register(
    "account.EmailAddress",
    fields=["user"],
    export=rows_export("account.EmailAddress", ["user"]),
    erase=rows_delete("account.EmailAddress", ["user"]),
    note=DELETED,
)
register(
    "mfa.Authenticator",
    fields=["user"],
    # Never the secret or the recovery codes: only which kinds were set up, and when.
    export=rows_export("mfa.Authenticator", ["user"], exclude=["data"]),
    erase=rows_delete("mfa.Authenticator", ["user"]),
    note=DELETED,
)
# allauth: linked work accounts (OpenID Connect). The provider's claims are exported (they are
# about the person); tokens are not stored (SOCIALACCOUNT_STORE_TOKENS off) and go with the
# account if they ever are. Passkeys are mfa.Authenticator rows, above.
register(
    "socialaccount.SocialAccount",
    fields=["user"],
    export=rows_export("socialaccount.SocialAccount", ["user"]),
    erase=rows_delete("socialaccount.SocialAccount", ["user"]),
    note="Deleted with the account: the link to the work account and what it told us.",
)
# Django's admin history: what the person changed in the admin site.
register(
    "admin.LogEntry",
    fields=["user"],
    export=rows_export("admin.LogEntry", ["user"], exclude=["change_message"]),
    erase=rows_delete("admin.LogEntry", ["user"]),
    note="Deleted with the account (Django deletes a person's admin history with them).",
)
# Wagtail: the editor's preferences, drafts in progress, comments and subscriptions go; the
# content they wrote (pages, revisions, documents, images) stays, unlinked from them.
for label in (
    "wagtailusers.UserProfile",
    "wagtailadmin.EditingSession",
    "wagtailadmin.FormState",
    "wagtailcore.PageSubscription",
):
    register(
        label,
        fields=["user"],
        export=rows_export(label, ["user"], exclude=["data"]),
        erase=rows_delete(label, ["user"]),
        note=DELETED,
    )
register(
    "wagtailcore.APIToken",
    fields=["user"],
    export=rows_export("wagtailcore.APIToken", ["user"], exclude=["key", "token", "digest"]),
    erase=rows_delete("wagtailcore.APIToken", ["user"]),
    note=DELETED,
)
register(
    "wagtailcore.Comment",
    fields=["user", "resolved_by"],
    export=rows_export("wagtailcore.Comment", ["user", "resolved_by"]),
    erase=combine(
        rows_delete("wagtailcore.Comment", ["user"]),
        rows_unlink("wagtailcore.Comment", ["resolved_by"]),
    ),
    note="Comments they wrote are deleted; comments they resolved are kept, unlinked.",
)
register(
    "wagtailcore.CommentReply",
    fields=["user"],
    export=rows_export("wagtailcore.CommentReply", ["user"]),
    erase=rows_delete("wagtailcore.CommentReply", ["user"]),
    note=DELETED,
)
# Log entries have no database constraint (Wagtail's DO_NOTHING): unlink them explicitly.
for label in ("wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry"):
    register(
        label,
        fields=["user"],
        export=rows_export(label, ["user"]),
        erase=rows_unlink(label, ["user"]),
        note="Kept as the content's history, with the person's link set to empty.",
    )
for label, fields in (
    ("wagtailcore.Page", ["owner", "locked_by"]),
    ("wagtailcore.Revision", ["user"]),
    ("wagtailcore.WorkflowState", ["requested_by"]),
    ("wagtailcore.TaskState", ["finished_by"]),
    ("wagtailcore.UploadedFile", ["uploaded_by_user"]),
    ("wagtaildocs.Document", ["uploaded_by_user"]),
    ("wagtailimages.Image", ["uploaded_by_user"]),
    # wagtail-localize: who last translated a segment of a page into another language.
    ("wagtail_localize.StringTranslation", ["last_translated_by"]),
    ("wagtail_localize.SegmentOverride", ["last_translated_by"]),
):
    register(
        label,
        fields=fields,
        export=rows_export(label, fields, exclude=["content", "file", "file_hash"]),
        erase=rows_unlink(label, fields),
        note=KEPT_CONTENT,
    )


def _sessions_end(user) -> None:
    """Sign the person out everywhere: delete every stored session that is theirs."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            SessionStore().delete(session.session_key)  # the cached copy and the row


# Sessions hold no foreign key; they are listed so erasure signs the person out everywhere.
register(
    "sessions.Session",
    fields=[],
    erase=_sessions_end,
    note="Deleted: the person is signed out on every device.",
    order=0,
)
