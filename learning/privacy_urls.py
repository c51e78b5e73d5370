"""URLs of "your data" (download, delete account). Each has a row in tests/matrix_rows/privacy.py."""

urlpatterns: list = []
