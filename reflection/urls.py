"""URLs of the reflection app: one module of patterns per domain."""

from django.urls import include, path

urlpatterns = [
    path("", include("reflection.journal.urls")),
    path("", include("reflection.signoff.urls")),
    path("", include("reflection.supervision.urls")),
    path("", include("reflection.portfolio.urls")),
    path("", include("reflection.shares.urls")),
]
