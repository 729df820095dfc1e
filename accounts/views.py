import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import oidc
from accounts.backends import UNFINISHED
from core import ratelimit
from core.context_processors import SITE_NAME

logger = logging.getLogger(__name__)

PASSWORDS_OFF = "Passwords are switched off here: sign in with {provider}."


def passwords_off(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/passwords_off.html",
        {"refusal": PASSWORDS_OFF.format(provider=settings.OIDC_PROVIDER_NAME)},
        status=403,
    )


def local_passwords_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Password pages answer 403 with a clear page while LOCAL_PASSWORDS is off."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not settings.LOCAL_PASSWORDS:
            return passwords_off(request)
        return view(request, *args, **kwargs)

    return guarded


@login_not_required
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponseBase:
    """The password form, the "Sign in with <provider>" button, or both. A password posted
    while passwords are off is refused here, and by PasswordsSwitchedOffBackend on any route."""
    if request.method == "POST" and not settings.LOCAL_PASSWORDS:
        return passwords_off(request)
    return auth_views.LoginView.as_view(
        redirect_authenticated_user=True,
        # LoginView puts the host's name in site_name; the product's name wins.
        extra_context={"site_name": SITE_NAME},
    )(request)


class ProviderSignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge."""

    def __init__(self, **kwargs):
        # The library reads the endpoint here; ours may need discovery, done in get().
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404("Company sign-in is not configured")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.endpoints().authorization
        except oidc.DiscoveryFailed as failure:
            logger.error("OIDC discovery failed: %s", failure)
            messages.error(request, UNFINISHED)
            return redirect("accounts:login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class ProviderSignInCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; a refusal returns to the login page with the
    reason in words (CompanyIdentityBackend leaves it on the request)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404("Company sign-in is not configured")
        try:
            return super().get(request)
        except SuspiciousOperation:
            # An unknown state: a replayed or forged callback, or a second tab's old one.
            return self.login_failure()

    def login_failure(self) -> HttpResponseBase:
        if self.request.GET.get("error"):
            reason = f"{settings.OIDC_PROVIDER_NAME} did not sign you in. Try again."
        else:
            reason = getattr(self.request, "provider_refusal", UNFINISHED)
        messages.error(self.request, reason)
        return redirect("accounts:login")


@local_passwords_only
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
@local_passwords_only
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
