from django import forms

from api.actions import EXPIRY_CHOICES_DAYS
from api.models import ApiToken, Scope


class TokenCreateForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Where it is used, e.g. “CI for payments”.")
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.READ)
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in EXPIRY_CHOICES_DAYS],
        initial=90,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.filter(owner=self.owner, name=name, revoked_at__isnull=True).exists():
            raise forms.ValidationError(f"You already have a token named “{name}”.")
        return name
