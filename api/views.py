"""The account page where people create, list and revoke their personal API tokens."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import actions
from api.forms import TokenCreateForm
from api.models import ApiToken, Scope


@never_cache  # the page that shows a new secret must not be kept by any cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None, owner=request.user)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            issued = actions.create_token(
                owner=request.user,
                name=form.cleaned_data["name"],
                scope=Scope(form.cleaned_data["scope"]),
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
            form = TokenCreateForm(owner=request.user)
        else:
            status = 422
    tokens = ApiToken.objects.filter(owner_id=request.user.pk)
    context = {"form": form, "tokens": tokens, "issued": issued}
    return render(request, "api/tokens.html", context, status=status)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    # Someone else's token is as unknown as a token that does not exist.
    token = get_object_or_404(ApiToken, pk=token_id, owner_id=request.user.pk)
    actions.revoke_token(token=token, by=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("api:tokens")
