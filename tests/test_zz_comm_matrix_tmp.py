import pytest

from .conftest import ROLE_NAMES
from .test_permission_matrix import MATRIX, matrix_context  # noqa: F401


@pytest.mark.django_db
def test_my_rows(client, matrix_context):
    unexpected = []
    for role in ROLE_NAMES:
        user = matrix_context["people"][role]
        for row in MATRIX:
            if not row.key.startswith("community_resources"):
                continue
            client.logout()
            if user is not None:
                client.force_login(user)
            path = row.path(matrix_context)
            response = getattr(client, row.method)(path, row.data)
            if response.status_code != row.expected[role]:
                unexpected.append(f"{row.method} {path} {role}: {response.status_code} != {row.expected[role]}")
    assert not unexpected, "\n".join(unexpected)
