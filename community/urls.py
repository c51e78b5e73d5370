"""URLs of the community of practice. Each has a row in tests/matrix_rows/community.py."""

urlpatterns: list = []
