from django import forms
from django.contrib.auth import get_user_model

from reviews.models import RECORDED_VERDICTS
from reviews.rules.gates import GateState
from reviews.rules.vocabulary import Role, ScopeDecision, Verdict, choices


class LintOverrideForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why these errors should not block review. Recorded in the audit trail.",
    )

    def clean_reason(self):
        from reviews.actions import MIN_OVERRIDE_REASON_WORDS

        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason.split()) < MIN_OVERRIDE_REASON_WORDS:
            raise forms.ValidationError(
                "Say why these lint errors should not block review (a sentence, please)."
            )
        return reason


class VersionBoundForm(forms.Form):
    """Every review form says which version its page showed, so a moved-on spec answers 409."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SignOffForm(VersionBoundForm):
    area = forms.CharField(max_length=100, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=choices(Role), widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=RECORDED_VERDICTS)
    comment = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        super().clean()
        decision = self.cleaned_data.get("decision")
        if (
            decision in {Verdict.REQUEST_CHANGES, Verdict.CONCERNS}
            and not (self.cleaned_data.get("comment") or "").strip()
        ):
            raise forms.ValidationError("Say what needs to change: a comment is required.")
        return self.cleaned_data


class WithdrawSignOffForm(VersionBoundForm):
    area = forms.CharField(max_length=100, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=choices(Role), widget=forms.HiddenInput)


class GateTickForm(VersionBoundForm):
    item = forms.CharField(max_length=300, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=choices(GateState))
    reason = forms.CharField(required=False, max_length=500)

    def clean(self):
        super().clean()
        if (
            self.cleaned_data.get("state") == GateState.NA
            and not (self.cleaned_data.get("reason") or "").strip()
        ):
            raise forms.ValidationError("N/A needs a reason.")
        return self.cleaned_data


class RevisionedItemsField(forms.Field):
    """Ticked checklist items, each posted as "<revision>:<item>" so it carries what it saw."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[tuple[str, int]]:
        items: dict[str, int] = {}
        for raw in value or ():
            revision, colon, item = str(raw).partition(":")
            if not colon or not revision.isdigit() or not item.strip():
                raise forms.ValidationError("That checklist item could not be read.")
            items.setdefault(item, int(revision))
        return list(items.items())

    def validate(self, value) -> None:
        if not value:
            raise forms.ValidationError("Tick at least one item.")


class GateTicksForm(VersionBoundForm):
    """Several gate items set to one state, saved once."""

    tick = RevisionedItemsField()
    state = forms.ChoiceField(choices=choices(GateState))
    reason = forms.CharField(required=False, max_length=500)

    def clean(self):
        super().clean()
        if (
            self.cleaned_data.get("state") == GateState.NA
            and not (self.cleaned_data.get("reason") or "").strip()
        ):
            raise forms.ValidationError("N/A needs a reason.")
        return self.cleaned_data


class CarryOverForm(VersionBoundForm):
    from_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DecisionEntryForm(VersionBoundForm):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    request = forms.CharField(max_length=500)
    source = forms.CharField(max_length=200)
    decision = forms.ChoiceField(choices=choices(ScopeDecision))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    trade_off = forms.CharField(label="Trade-off", widget=forms.Textarea(attrs={"rows": 2}))
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(n, n) for n in ("submit", "approve", "reject", "withdraw")])
    row_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=2000)


class RaciAssignForm(forms.Form):
    row_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    area = forms.CharField(max_length=100)
    role = forms.ChoiceField(choices=choices(Role))
    username = forms.CharField(max_length=150, label="Person (username)")

    def clean_username(self):
        user = (
            get_user_model()
            .objects.filter(username=self.cleaned_data["username"].strip(), is_active=True)
            .first()
        )
        if user is None:
            raise forms.ValidationError("No active person with that username.")
        return user


class AreaSectionsForm(forms.Form):
    row_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    area = forms.CharField(max_length=100, widget=forms.HiddenInput)
    sections = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One section title per line; empty: the whole spec.",
    )


class RowVersionForm(forms.Form):
    row_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class RaciRemoveForm(forms.Form):
    row_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    assignment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DecisionFilterForm(forms.Form):
    decision = forms.ChoiceField(
        required=False, choices=[("", "Any decision"), *choices(ScopeDecision)]
    )
    source = forms.CharField(required=False, max_length=200)
    spec = forms.CharField(required=False, max_length=80, label="Spec (address)")
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    include_superseded = forms.BooleanField(required=False, label="Include superseded entries")


COMMENT_MAX = 10000


class CommentForm(VersionBoundForm):
    """A new thread on the current version: a line range (from a clicked block) or a section."""

    body = forms.CharField(max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    line_start = forms.IntegerField(required=False, min_value=1)
    line_end = forms.IntegerField(required=False, min_value=1)
    section = forms.CharField(required=False, max_length=200)
    blocking = forms.BooleanField(required=False)
    # The words selected in the block, when the comment is about a phrase rather than the block.
    quote = forms.CharField(required=False, max_length=500, strip=True)

    def clean(self):
        super().clean()
        start, end = self.cleaned_data.get("line_start"), self.cleaned_data.get("line_end")
        if start is None and not self.cleaned_data.get("section"):
            raise forms.ValidationError(
                "Pick the lines (click a block) or a section to comment on."
            )
        if start is not None and end is not None and end < start:
            raise forms.ValidationError("The last line comes after the first.")
        return self.cleaned_data


class ReplyForm(forms.Form):
    comment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    body = forms.CharField(max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class CommentStateForm(forms.Form):
    """Address, resolve or reopen: the thread and the revision the page showed."""

    comment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=COMMENT_MAX)
