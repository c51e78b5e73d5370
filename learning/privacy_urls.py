"""URLs of "your data" (download it, delete the account).

Each has a row in tests/matrix_rows/privacy.py."""

urlpatterns: list = []
