"""My learning: the modules a person has started and finished, and those assigned to them.

Each in-progress card and each completed row is made from the plain values it shows
(``learning.fragments``), kept per process under them: the template engine spent most of the
page's time on these loops, and the same module at the same progress looks the same for
everyone reading it in the same language."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from learning.fragments import item_renderer
from modules.models import Certificate
from modules.progress import selectors


@login_required
def my_learning(request):
    from modules.assignments.selectors import assignments_shown
    from modules.certificates.services import certificates_for

    data = selectors.my_learning(request.user)
    certificates = {c.module_id: c for c in certificates_for(request.user)}
    card = item_renderer("modules/includes/learning_in_progress.html")
    row = item_renderer("modules/includes/learning_completed.html")
    in_progress = [
        card(
            {
                "module_id": item["module"].pk,
                "url": item["module"].url,
                "title": item["module"].title,
                "percent": item["percent"],
                "done": item["done"],
                "total": item["total"],
            }
        )
        for item in data["in_progress"]
    ]
    completed = []
    for item in data["completed"]:
        certificate = certificates.get(item["module"].pk)
        completed.append(
            row(
                {
                    "url": item["module"].url,
                    "title": item["module"].title,
                    "completed_at": item["enrolment"].completed_at,
                    "has_certificate": certificate is not None,
                    "certificate_code": certificate.code if certificate else "",
                    "certificate_ready": bool(
                        certificate and certificate.status == Certificate.Status.READY
                    ),
                }
            )
        )
    return render(
        request,
        "modules/my_learning.html",
        {
            "in_progress": in_progress,
            "completed": completed,
            "assignments": assignments_shown(request.user),
        },
    )
