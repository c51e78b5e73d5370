"""What the topology test needs in its database, made in a process with the nodes' production
settings: ``python -m tests.topology.world setup`` prints the people and pages as JSON;
``... publish <page id> <title>`` publishes a new title, as an editor would on any node."""

from __future__ import annotations

import json
import sys

import django


def setup() -> dict:
    from datetime import date

    from allauth.account.models import EmailAddress

    from learning.models import User
    from modules.certificates.services import certificate_issue
    from tests.module_factories import make_module

    user = User.objects.create_user(email="topology@example.nhs.uk", password="a long password 1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    module = make_module(lessons=1, title="Working across machines")
    certificate = certificate_issue(user=user, module=module, completed_on=date(2026, 1, 5))
    return {
        "email": user.email,
        "password": "a long password 1",
        "module_id": module.pk,
        "module_url": module.url,
        "certificate_code": certificate.code,
    }


def publish(page_id: int, title: str) -> dict:
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    page.title = title
    page.save_revision().publish()
    return {"published": page.pk}


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    else:
        print(json.dumps(publish(int(sys.argv[2]), sys.argv[3])))
