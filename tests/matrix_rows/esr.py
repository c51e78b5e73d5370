"""Permission-matrix rows for completions for ESR (see tests/matrix_rows/__init__.py).

Permitted as organisation report exports are: that organisation's admins only (everyone else
404, the national coordinator and superusers included); an export only for the admin who asked
for it, under its own organisation's address, while they still administer it.
"""

from __future__ import annotations

from django.urls import reverse

from tests.report_factories import ready_esr_export

from . import Row, signed_in


def _form(key="organisation"):
    return lambda c: reverse("esr_export", args=[c[key].slug])


def _export(name, key="organisation"):
    return lambda c: reverse(name, args=[c[key].slug, c["esr_export"].pk])


ROWS: list[Row] = [
    Row("esr_export", _form(), signed_in(404, org_admin=200)),
    Row("esr_export", _form(), signed_in(404, org_admin=302), method="post"),
    Row("esr_export", _form("other_organisation"), signed_in(404)),
    Row("esr_export", _form("other_organisation"), signed_in(404), method="post"),
    Row("esr_export_detail", _export("esr_export_detail"), signed_in(404, org_admin=200)),
    Row(
        "esr_export_detail",
        _export("esr_export_detail", "other_organisation"),
        signed_in(404),
    ),
    Row("esr_export_detail", _export("esr_export_detail"), signed_in(405), method="post"),
    Row("esr_export_status", _export("esr_export_status"), signed_in(404, org_admin=200)),
    Row("esr_export_status", _export("esr_export_status"), signed_in(405), method="post"),
    Row("esr_export_download", _export("esr_export_download"), signed_in(404, org_admin=200)),
    Row(
        "esr_export_download",
        lambda c: reverse("esr_export_download", args=[c["organisation"].slug, 999999]),
        signed_in(404),
    ),
    Row("esr_export_download", _export("esr_export_download"), signed_in(405), method="post"),
]


def extend_context(ctx: dict) -> None:
    """Add the objects the rows above need to the shared matrix context."""
    ctx["esr_export"] = ready_esr_export(ctx["people"]["org_admin"], ctx["organisation"])
