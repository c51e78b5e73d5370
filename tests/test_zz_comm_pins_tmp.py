import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_permission_matrix import matrix_context  # noqa: F401


@pytest.mark.django_db
def test_counts(client, matrix_context):
    out = []
    for role, slug in (("practitioner", "matrix-open"), ("facilitator", "matrix-open"), ("coordinator", "matrix-closed")):
        client.force_login(matrix_context["people"][role])
        for path in (f"/community/{slug}/resources/", f"/community/{slug}/resources/manage/"):
            client.get(path)
            with CaptureQueriesContext(connection) as q:
                r = client.get(path)
            out.append(f"{path} as {role}: {r.status_code} {len(q.captured_queries)}")
    print("\nCOUNTS\n" + "\n".join(out))
