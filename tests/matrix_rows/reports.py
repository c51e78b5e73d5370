"""Permission-matrix rows for report URLs (see tests/matrix_rows/__init__.py).

Organisation reports: that organisation's admins only (everyone else 404, superusers included).
National reports: national coordinators only. Exports: the person who asked for them, while
they still hold the role.
"""

from __future__ import annotations

from django.urls import reverse

from tests.report_factories import ready_export

from . import Row, signed_in


def _org(name, key="organisation"):
    return lambda c: reverse(name, args=[c[key].slug])


def _export(name, key):
    return lambda c: reverse(name, args=[c[key].pk])


EXPORT_POST = {"section": "training"}

ROWS: list[Row] = [
    Row(
        "reports_index",
        lambda c: reverse("reports_index"),
        signed_in(404, org_admin=200, coordinator=200),
    ),
    Row("reports_index", lambda c: reverse("reports_index"), signed_in(405), method="post"),
    Row("report_organisation", _org("report_organisation"), signed_in(404, org_admin=200)),
    Row(
        "report_organisation",
        lambda c: (
            reverse("report_organisation", args=[c["organisation"].slug]) + "?section=supervision"
        ),
        signed_in(404, org_admin=200),
    ),
    Row(
        "report_organisation",
        lambda c: (
            reverse("report_organisation", args=[c["organisation"].slug])
            + "?section=no-such-section"
        ),
        signed_in(404),
    ),
    Row(
        "report_organisation",
        _org("report_organisation", "other_organisation"),
        signed_in(404),
    ),
    Row("report_organisation", _org("report_organisation"), signed_in(405), method="post"),
    Row(
        "report_organisation_export",
        _org("report_organisation_export"),
        signed_in(404, org_admin=302),
        method="post",
        data=EXPORT_POST,
    ),
    Row(
        "report_organisation_export",
        _org("report_organisation_export", "other_organisation"),
        signed_in(404),
        method="post",
        data=EXPORT_POST,
    ),
    Row("report_organisation_export", _org("report_organisation_export"), signed_in(405)),
    Row("report_national", lambda c: reverse("report_national"), signed_in(404, coordinator=200)),
    Row(
        "report_national",
        lambda c: reverse("report_national") + "?section=community&group_by=region",
        signed_in(404, coordinator=200),
    ),
    Row("report_national", lambda c: reverse("report_national"), signed_in(405), method="post"),
    Row(
        "report_national_export",
        lambda c: reverse("report_national_export"),
        signed_in(404, coordinator=302),
        method="post",
        data={"section": "supervision"},
    ),
    Row("report_national_export", lambda c: reverse("report_national_export"), signed_in(405)),
    Row(
        "report_export_detail",
        _export("report_export_detail", "org_export"),
        signed_in(404, org_admin=200),
    ),
    Row(
        "report_export_detail",
        _export("report_export_detail", "national_export"),
        signed_in(404, coordinator=200),
    ),
    Row(
        "report_export_detail",
        lambda c: reverse("report_export_detail", args=[999999]),
        signed_in(404),
    ),
    Row(
        "report_export_detail",
        _export("report_export_detail", "org_export"),
        signed_in(405),
        method="post",
    ),
    Row(
        "report_export_status",
        _export("report_export_status", "org_export"),
        signed_in(404, org_admin=200),
    ),
    Row(
        "report_export_status",
        _export("report_export_status", "national_export"),
        signed_in(404, coordinator=200),
    ),
    Row(
        "report_export_download",
        _export("report_export_download", "org_export"),
        signed_in(404, org_admin=200),
    ),
    Row(
        "report_export_download",
        _export("report_export_download", "national_export"),
        signed_in(404, coordinator=200),
    ),
    Row(
        "report_export_download",
        _export("report_export_download", "national_export"),
        signed_in(405),
        method="post",
    ),
]


def extend_context(ctx: dict) -> None:
    """Add the objects the rows above need to the shared matrix context."""
    people = ctx["people"]
    ctx["org_export"] = ready_export(people["org_admin"], ctx["organisation"])
    ctx["national_export"] = ready_export(people["coordinator"], None, section="supervision")
