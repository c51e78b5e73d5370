"""The community search page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community.search import selectors
from community.search.forms import SearchForm
from community.shared.views import shown_author
from learning.pagination import encode_cursor, keyset_page

PAGE_SIZE = 20


@login_required
@require_GET
def community_search(request):
    spaces = list(selectors.spaces_to_search(request.user))
    form = SearchForm(request.GET, spaces=spaces)
    page = None
    author_name = ""
    status = 200
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"]
        found = selectors.search_posts(
            request.user,
            text=text,
            space=form.cleaned_data["space"],
            author_id=form.cleaned_data["author"],
        )
        page = keyset_page(
            found.posts, order=found.order, cursor=request.GET.get("after"), size=PAGE_SIZE
        )
        words = selectors.words_of(text)
        for post in page.items:
            post.snippet = selectors.snippet_of(post, words)
            post.shown_author = shown_author(post, request.user, is_facilitator=False)
            # The found post at the top of the thread's page it is on (pages run oldest first).
            post.cursor = encode_cursor([post.created_at, post.pk - 1])
        if form.cleaned_data["author"]:
            author_name = next((p.shown_author for p in page.items if not p.anonymous), "")
    return render(
        request,
        "community/search.html",
        {
            "form": form,
            "spaces": spaces,
            "page": page,
            "author_name": author_name,
            "searched": page is not None,
        },
        status=status,
    )
