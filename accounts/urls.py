from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

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
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
