import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from core import ratelimit


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login is required for every view but a few
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Changing the password ends this session too (other sessions already died with the
        # old password hash): whoever changed it proves they know the new one.
        logout(request)
        messages.success(request, "Your password was changed. Sign in with the new one.")
        return redirect("accounts:login")
    return render(request, "registration/password_change.html", {"form": form})


def password_reset_limit() -> ratelimit.Limit:
    return ratelimit.Limit("password-reset", *settings.PASSWORD_RESET_RATE_LIMIT)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Ask for a reset link by e-mail: every address gets the same answer, known or not, and
    each address (hashed: the counter never stores it) gets a few requests an hour."""
    if request.method == "POST":
        address = request.POST.get("email", "").strip().lower()
        subject = hashlib.sha256(address.encode()).hexdigest()
        verdict = ratelimit.hit(password_reset_limit(), subject)
        if not verdict.allowed:
            return ratelimit.too_many_requests(request, verdict, "reset requests for this address")
    return auth_views.PasswordResetView.as_view(
        template_name="registration/password_reset_form.html",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
        # Links in the e-mail start from SITE_URL, never from the request's Host header, which
        # a client can forge to mail someone a reset link pointing at another site.
        extra_email_context={"site_url": settings.SITE_URL},
    )(request)
