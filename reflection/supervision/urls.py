"""URLs of supervision. Each has a row in tests/matrix_rows/supervision.py."""

urlpatterns: list = []
