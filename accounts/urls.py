from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from core.context_processors import SITE_NAME

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        # LoginView puts the host's name in site_name; the product's name wins.
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"site_name": SITE_NAME}
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
]
