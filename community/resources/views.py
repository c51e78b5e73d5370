"""A space's resources: the documents its library holds, for those who can read the space."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community.resources import selectors
from community.shared.views import space_access


@login_required
@require_GET
def community_resources(request, space: str):
    access = space_access(request, space)
    return render(
        request,
        "community/resources.html",
        {"access": access, "resources": list(selectors.resources_of(access.space))},
    )
