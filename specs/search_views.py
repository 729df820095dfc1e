"""The search page: one box in the header, results as you type (htmx), filters, all versions."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from specs import search
from specs.vocabulary import SpecState, choices


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *choices(SpecState)])
    profile = forms.CharField(required=False, max_length=64, label="Template")
    area = forms.CharField(required=False, max_length=100)
    person = forms.CharField(required=False, max_length=150, label="Person (username)")
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    all_versions = forms.BooleanField(required=False, label="In all versions")


@require_GET
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list[search.Hit] = []
    if form.is_valid() and form.cleaned_data["q"]:
        data = dict(form.cleaned_data)
        query = data.pop("q")
        hits = search.search(request.user, query, search.Filters(**data))
    template = "specs/search.html#results" if request.htmx else "specs/search.html"
    return render(request, template, {"form": form, "hits": hits})
