"""URLs of the reports. Each has a row in tests/matrix_rows/reports.py."""

urlpatterns: list = []
