from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import HtmxHttpRequest
from notifications import actions
from notifications.events import DIGEST, Event
from notifications.forms import PreferencesForm, ScheduleForm
from notifications.models import DeliverySchedule, Notification, NotificationPreference, State
from notifications.scheduling import zone_names
from notifications.tokens import read_token
from specs import permissions

ADMIN_LIST_LIMIT = 50
# Apart, because each asks something different of a person: "unknown" and "held" may have
# arrived (check the evidence before retrying), "failed" was refused and did not.
ADMIN_SECTIONS = [
    ("unknown", "Delivery unknown", [State.UNKNOWN]),
    ("held", "Held after a restore", [State.HELD]),
    ("failed", "Failed: refused by the mail server", [State.FAILED]),
    ("pending", "Pending", [State.PENDING, State.SENDING]),
    ("sent", "Sent", [State.SENT]),
]


@require_http_methods(["GET", "POST"])
def preferences(request: HtmxHttpRequest) -> HttpResponse:
    current = NotificationPreference.objects.modes_of(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        actions.set_preferences(user=request.user, modes=form.modes())
        if not request.htmx:
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
    template = "notifications/preferences.html"
    context = {
        "form": form,
        "saved": saved,
        "schedule_form": _schedule_form(request.user),
        "zone_names": zone_names(),
    }
    status = 422 if form.errors else 200
    return render(
        request,
        f"{template}#preferences-form" if request.htmx else template,
        context,
        status=status,
    )


@require_POST
def schedule(request: HtmxHttpRequest) -> HttpResponse:
    """The digest's hour and the person's time zone (a second form on the preferences page)."""
    form = ScheduleForm(request.POST)
    saved = form.is_valid()
    if saved:
        actions.set_schedule(
            user=request.user,
            digest_hour=form.cleaned_data["digest_hour"],
            time_zone=form.cleaned_data["time_zone"],
        )
        if not request.htmx:
            messages.success(request, "Digest time saved.")
            return redirect("notifications:preferences")
    template = "notifications/preferences.html"
    if request.htmx:
        context = {"schedule_form": form, "schedule_saved": saved, "zone_names": zone_names()}
        return render(request, f"{template}#schedule-form", context, status=200 if saved else 422)
    current = NotificationPreference.objects.modes_of(request.user)
    context = {"form": PreferencesForm(current=current), "schedule_form": form}
    return render(request, template, {**context, "zone_names": zone_names()}, status=422)


def _schedule_form(user) -> ScheduleForm:
    current = DeliverySchedule.objects.of([user.pk])[user.pk]
    return ScheduleForm(
        initial={"digest_hour": current.digest_hour, "time_zone": current.time_zone}
    )


# RFC 8058 one-click: the mail provider POSTs without a session or CSRF token; the signed token
# is the proof, and the worst it can do is switch one kind of e-mail off.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HtmxHttpRequest, token: str) -> HttpResponse:
    parsed = read_token(token)
    person = (
        get_user_model().objects.filter(pk=parsed.user_id, is_active=True).first()
        if parsed
        else None
    )
    if parsed is None or person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    label = "the daily digest" if parsed.event == DIGEST else f"“{Event(parsed.event).label}”"
    context = {"token": token, "label": label, "done": request.method == "POST"}
    if request.method == "POST":
        context["switched_off"] = actions.unsubscribe(user=person, event=parsed.event)
    return render(request, "notifications/unsubscribe.html", context)


@require_GET
def admin_page(request: HtmxHttpRequest) -> HttpResponse:
    require_staff(request.user)
    counts = dict(Notification.objects.values_list("state").annotate(n=Count("pk")).order_by())
    sections = [
        {
            "key": key,
            "title": title,
            "count": sum(counts.get(state, 0) for state in states),
            "rows": list(
                Notification.objects.for_admin().filter(state__in=states)[:ADMIN_LIST_LIMIT]
            ),
        }
        for key, title, states in ADMIN_SECTIONS
    ]
    return render(request, "notifications/admin.html", {"sections": sections, "counts": counts})


@require_POST
def retry(request: HtmxHttpRequest, notification_id: int) -> HttpResponse:
    require_staff(request.user)
    get_object_or_404(Notification, pk=notification_id)
    try:
        actions.retry(notification_id, by=request.user)
        error = None
    except actions.NotificationError as refused:
        error = str(refused)
    if not request.htmx:
        messages.error(request, error) if error else messages.success(request, "Queued again.")
        return redirect("notifications:admin")
    row = Notification.objects.for_admin().get(pk=notification_id)
    context = {"row": row, "error": error}
    return render(
        request, "notifications/admin.html#notification-row", context, status=409 if error else 200
    )


def require_staff(user) -> None:
    permissions.require(permissions.may_see_outbox(user), "Only staff see the notification outbox.")
