from django import forms

from webhooks.models import Event


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        max_length=500, assume_scheme="https", help_text="Receives a signed JSON POST per event."
    )
    spec = forms.SlugField(
        max_length=80, required=False, help_text="A spec's address; empty: every spec (admins)."
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, initial=list(Event.values)
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Use an http:// or https:// address.")
        return url
