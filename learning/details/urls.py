from django.urls import path

from learning import session_timeout
from learning.details import views

urlpatterns = [
    path("account/details/", views.details, name="account_details"),
    path("language/<str:code>/", views.language_switch, name="language_switch"),
    path("account/session/extend/", session_timeout.session_extend, name="session_extend"),
]
