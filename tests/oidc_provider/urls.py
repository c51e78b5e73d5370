from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls

from .views import SilentAuthorizationView, signout

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("signout/", signout, name="signout"),
    # Before django-oauth-toolkit's own, so a silent re-check is answered as real providers do.
    path("o/authorize/", SilentAuthorizationView.as_view(), name="authorize"),
    path("o/", include(oauth2_urls)),
]
