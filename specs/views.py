from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from specs.models import Spec


def home(request: HttpRequest) -> HttpResponse:
    specs = Spec.objects.with_current_version().order_by("-updated_at")[:50]
    return render(request, "specs/home.html", {"specs": specs})
