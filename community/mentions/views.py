"""Suggestions of people to mention, for static/js/community.mjs as someone types after @.

JSON for those who take part in the space (anyone else gets 404, as for a space they cannot
see), limited per person, with names only: never an email address.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from community.mentions import selectors
from community.shared.views import space_access
from learning import permissions
from learning.ratelimit import rate_limit_message

PREFIX_MAX = 40


@login_required
@require_GET
def community_mention_suggestions(request, space: str):
    access = space_access(request, space)
    if not permissions.can_mention_in_space(request.user, access.space, access.member):
        raise Http404
    limited = rate_limit_message(request.user, "mention")
    if limited:
        return JsonResponse({"results": [], "message": limited}, status=429)
    prefix = request.GET.get("q", "")[:PREFIX_MAX]
    people = selectors.mention_suggestions(access.space, prefix, viewer=request.user)
    return JsonResponse({"results": [{"id": p.pk, "name": p.display_name} for p in people]})
