from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods


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
