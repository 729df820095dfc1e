from django import forms

from notifications.events import Event, Mode
from notifications.scheduling import is_zone_name


class PreferencesForm(forms.Form):
    """One radio group per event: at once, in the daily digest, or not at all."""

    def __init__(self, *args, current: dict[Event, Mode], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for event in Event:
            self.fields[event.value] = forms.ChoiceField(
                label=event.label,
                choices=Mode.choices,
                initial=current[event],
                widget=forms.RadioSelect,
            )

    def modes(self) -> dict[Event, Mode]:
        return {Event(name): Mode(value) for name, value in self.cleaned_data.items()}


class ScheduleForm(forms.Form):
    """When the digest (and overdue reminders) arrive: an hour of the person's own day."""

    digest_hour = forms.TypedChoiceField(
        label="Send my digest and reminders at",
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
    )
    time_zone = forms.CharField(
        label="My time zone",
        max_length=64,
        help_text="A time zone name such as Europe/Berlin or America/New_York.",
    )

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if not is_zone_name(name):
            raise forms.ValidationError(
                f"“{name}” is not a time zone name; use one such as Europe/Berlin."
            )
        return name
