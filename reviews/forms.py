from django import forms


class LintOverrideForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why these errors should not block review. Recorded in the audit trail.",
    )
