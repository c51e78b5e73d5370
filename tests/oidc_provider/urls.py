from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("o/", include(oauth2_urls)),
]
