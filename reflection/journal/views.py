"""The private journal. Thin views: parse input, call one selector or service, render. Every
entry is fetched through ``journal_entries_visible_to``, so anyone but the author gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learning import guard
from learning.forms import id_from
from learning.formviews import call_service
from learning.guard import html_to_text
from learning.middleware import client_ip
from learning.pagination import keyset_page
from learning.submissions import once_per_submission
from reflection.journal import drafts, selectors, services
from reflection.journal.catalogue import DESCRIPTIONS, ReflectiveModel
from reflection.journal.forms import ChooseModelForm, JournalEntryForm
from reflection.models import JournalEntry

PAGE_SIZE = 20


@login_required
def journal_list(request):
    query = request.GET.get("q", "").strip()[:200]
    tag = request.GET.get("tag", "").strip()[:40]
    model = request.GET.get("model", "")
    model = model if model in ReflectiveModel.values else ""
    qs = selectors.journal_entries_visible_to(request.user)
    if query or tag:
        qs = qs.filter(
            pk__in=selectors.journal_entry_ids_matching(
                request.user, query=query, tag=tag, model=model
            )
        )
    elif model:
        qs = qs.filter(model=model)
    lesson = request.GET.get("lesson", "")
    lesson_id = id_from(lesson)
    if lesson_id is not None:  # from a lesson's "You reflected on this lesson"
        qs = qs.filter(lesson_id=lesson_id)
    from reflection.signoff.selectors import with_latest_signoff_status
    from reflection.signoff.status import entry_tag

    page = keyset_page(
        with_latest_signoff_status(
            qs.only("pk", "title", "tags", "model", "experienced_on", "author_id", "is_draft")
        ),
        order=("-experienced_on", "-pk"),
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    for entry in page.items:
        entry.status_tag = entry_tag(
            is_draft=entry.is_draft, latest_status=entry.latest_signoff_status
        )
    return render(
        request,
        "reflection/journal_list.html",
        {
            "page": page,
            "query": query,
            "tag": tag,
            "model": model,
            "models": ReflectiveModel.choices,
            "filtered": bool(query or tag or model or lesson_id is not None),
        },
    )


def _lesson_prompt(lesson_id: str, block_id: str):
    """The lesson and the reflection prompt an entry was started from (or ``(None, "")``)."""
    from modules.models import LessonPage

    lesson_pk = id_from(lesson_id)
    if lesson_pk is None:
        return None, ""
    lesson = LessonPage.objects.live().filter(pk=lesson_pk).first()
    if lesson is None:
        return None, ""
    prompt = next(
        (
            str(b.value["prompt"])
            for b in lesson.body
            if b.block_type == "reflection_prompt" and b.id == block_id
        ),
        "",
    )
    return lesson, prompt


def _written_text(form: JournalEntryForm) -> str:
    """What the writer typed, one field to a paragraph (so a sentence never runs across two)."""
    names = ["title", "summary", *(f"section-{s.key}" for s in form.sections)]
    return "\n\n".join(str(form.data.get(name, "")) for name in names)


def _safeguarding_routes(request, form: JournalEntryForm) -> list | None:
    """When the text suggests a current concern: the author's organisations and their routes."""
    return guard.safeguarding_routes(request.user, _written_text(form))


def _prompt_first(request, form: JournalEntryForm) -> bool:
    """True when the text suggests a current concern and the writer has not yet been shown
    the safeguarding prompt: the form comes back with it, before anything is saved."""
    return guard.safeguarding_prompt_first(
        request.user, _written_text(form), seen=bool(form.cleaned_data.get("safeguarding_seen"))
    )


def _save(request, form: JournalEntryForm, *, entry: JournalEntry | None, lesson, prompt):
    """Run the service; on success, the saved entry, else the context to show the form again."""
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "experienced_on": data["experienced_on"],
        "model": form.model,
        "sections": form.section_values(),
        "tags": data["tags"],
        "summary": data["summary"],
        "confirm_identifiers": data["confirm_identifiers"],
        "ip_address": client_ip(request),
    }
    if entry is None:
        result = call_service(
            form,
            lambda: services.journal_entry_create(
                author=request.user, lesson=lesson, prompt=prompt, **fields
            ),
        )
    else:
        result = call_service(
            form,
            lambda: services.journal_entry_update(actor=request.user, entry=entry, **fields),
        )
    return result.value, result.context


def _form_page(request, form, *, entry, lesson, prompt, extra=None, status=200):
    source = request.POST if request.method == "POST" else request.GET
    return render(
        request,
        "reflection/journal_form.html",
        {
            "form": form,
            "entry": entry,
            "lesson": lesson,
            "prompt": prompt,
            "prompt_id": source.get("prompt", "") if prompt and entry is None else "",
            "model_label": ReflectiveModel(form.model).label,
            "safeguarding": _safeguarding_routes(request, form) if form.is_bound else None,
            **(extra or {}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def journal_new(request):
    source = request.POST if request.method == "POST" else request.GET
    lesson, prompt = _lesson_prompt(source.get("lesson", ""), source.get("prompt", ""))
    model = source.get("model", "")
    if model not in ReflectiveModel.values:
        return render(
            request,
            "reflection/journal_choose.html",
            {
                "form": ChooseModelForm(),
                "descriptions": DESCRIPTIONS,
                "lesson": lesson,
                "prompt": prompt,
                "prompt_id": source.get("prompt", "") if prompt else "",
            },
        )
    if request.method == "GET":
        form = JournalEntryForm(model=model)
        return _form_page(request, form, entry=None, lesson=lesson, prompt=prompt)
    form = JournalEntryForm(request.POST, model=model)
    if form.is_valid() and _prompt_first(request, form):
        return _form_page(
            request, form, entry=None, lesson=lesson, prompt=prompt, extra={"prompted": True}
        )
    if form.is_valid():
        entry, extra = _save(request, form, entry=None, lesson=lesson, prompt=prompt)
        if entry is not None:
            messages.success(request, _("Your reflection is saved. Only you can read it."))
            return redirect("journal_detail", entry_id=entry.pk)
    else:
        extra = {}
    return _form_page(
        request, form, entry=None, lesson=lesson, prompt=prompt, extra=extra, status=400
    )


@login_required
def journal_detail(request, entry_id: int):
    entry = selectors.journal_entry_for(request.user, entry_id)
    if entry is None:
        raise Http404
    from reflection.signoff.selectors import entry_signoff

    return render(
        request,
        "reflection/journal_detail.html",
        {"entry": entry, "signoff": entry_signoff(request.user, entry)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal_edit(request, entry_id: int):
    entry = get_object_or_404(selectors.journal_entries_visible_to(request.user), pk=entry_id)
    if request.method == "POST" and request.POST.get("discard"):
        drafts.pending_edits_clear(request.session, entry_id=entry.pk)
        messages.success(request, _("Your unsaved changes are discarded."))
        return redirect("journal_edit", entry_id=entry.pk)
    if request.method == "GET":
        initial = {
            "title": entry.title,
            "experienced_on": entry.experienced_on,
            "tags": entry.tags,
            "summary": html_to_text(entry.summary),
            **{f"section-{k}": html_to_text(v) for k, v in entry.sections.items()},
        }
        pending = drafts.pending_edits_peek(request.session, entry_id=entry.pk)
        if pending:
            from reflection.journal.views_extras import kept_initial

            initial.update({k: v for k, v in kept_initial(pending).items() if k != "model"})
        form = JournalEntryForm(initial=initial, model=entry.model)
        return _form_page(
            request,
            form,
            entry=entry,
            lesson=None,
            prompt=entry.prompt,
            extra={"pending_edits": bool(pending), "entry_version": _version(entry)},
        )
    form = JournalEntryForm(request.POST, model=entry.model)
    extra = {"entry_version": request.POST.get("entry_version", "")[:20]}
    loaded = extra["entry_version"]
    if not entry.is_draft and id_from(loaded) is not None and int(loaded) != _version(entry):
        # Saved somewhere else (another tab or device) since this form was opened.
        form.is_valid()
        form.add_error(
            None,
            _(
                "This reflection was changed somewhere else after you opened it, perhaps in "
                "another tab. Your text is below, as you left it. Check it, then save again to "
                "replace the other version."
            ),
        )
        extra["entry_version"] = _version(entry)  # saving again now replaces it
        return _form_page(
            request, form, entry=entry, lesson=None, prompt=entry.prompt, extra=extra, status=409
        )
    if form.is_valid() and _prompt_first(request, form):
        extra["prompted"] = True
        return _form_page(request, form, entry=entry, lesson=None, prompt=entry.prompt, extra=extra)
    if form.is_valid():
        saved, found = _save(request, form, entry=entry, lesson=None, prompt="")
        extra.update(found)
        if saved is not None:
            drafts.pending_edits_clear(request.session, entry_id=entry.pk)
            messages.success(request, _("Your changes are saved."))
            return redirect("journal_detail", entry_id=saved.pk)
    return _form_page(
        request, form, entry=entry, lesson=None, prompt=entry.prompt, extra=extra, status=400
    )


def _version(entry) -> int:
    """When the entry was last saved, in microseconds: the edit form's concurrency check."""
    return int(entry.updated_at.timestamp() * 1_000_000)


@login_required
@require_http_methods(["GET", "POST"])
def journal_delete(request, entry_id: int):
    """GET asks "are you sure?" and says what stays; POST deletes."""
    entry = get_object_or_404(selectors.journal_entries_visible_to(request.user), pk=entry_id)
    if request.method == "GET":
        from reflection.signoff.selectors import kept_after_entry_delete

        kept = list(kept_after_entry_delete(entry))
        return render(request, "reflection/journal_delete.html", {"entry": entry, "kept": kept})
    services.journal_entry_delete(actor=request.user, entry=entry, ip_address=client_ip(request))
    messages.success(request, _("The reflection has been deleted."))
    return redirect("journal_list")
