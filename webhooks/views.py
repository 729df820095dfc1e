"""Webhook subscriptions (per spec for its owners, site-wide for admins) and the delivery log."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from specs import permissions
from webhooks import actions
from webhooks.forms import SubscriptionForm
from webhooks.models import Delivery, Subscription

SPEC_OWNERS_ONLY = "Only the spec's owners subscribe webhooks to it."
ADMINS_ONLY = "Only site administrators subscribe to every spec."


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["spec"]
        spec = None
        if slug:
            spec, can = permissions.get_spec_for(request.user, slug)
            permissions.require(can.can_administer, SPEC_OWNERS_ONLY)
        else:
            permissions.require(permissions.is_site_admin(request.user), ADMINS_ONLY)
        created = actions.subscribe(
            owner=request.user,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            spec=spec,
        )
        messages.success(request, f"Subscribed {created.url}.")
        return redirect("webhooks:detail", subscription_id=created.pk)
    mine = Subscription.objects.filter(owner_id=request.user.pk).select_related("spec")
    status = 422 if form.errors else 200
    context = {"form": form, "subscriptions": mine}
    return render(request, "webhooks/subscriptions.html", context, status=status)


def _own(request: HttpRequest, subscription_id: int) -> Subscription:
    # Someone else's subscription is as unknown as one that does not exist.
    return get_object_or_404(
        Subscription.objects.select_related("spec"), pk=subscription_id, owner_id=request.user.pk
    )


def detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """The subscription, its signing secret, and its last deliveries."""
    subscription = _own(request, subscription_id)
    deliveries = Delivery.objects.filter(subscription=subscription)[:100]
    context = {"subscription": subscription, "deliveries": deliveries}
    return render(request, "webhooks/detail.html", context)


@require_POST
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _own(request, subscription_id)
    actions.unsubscribe(subscription=subscription, by=request.user)
    messages.success(request, f"Stopped sending to {subscription.url}.")
    return redirect("webhooks:list")


@require_POST
def redeliver(request: HttpRequest, subscription_id: int, delivery_id: int) -> HttpResponse:
    subscription = _own(request, subscription_id)
    delivery = get_object_or_404(Delivery, pk=delivery_id, subscription=subscription)
    actions.redeliver(delivery=delivery, by=request.user)
    messages.success(request, f"Queued {delivery.event} again.")
    return redirect("webhooks:detail", subscription_id=subscription.pk)
