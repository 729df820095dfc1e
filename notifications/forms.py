from django import forms

from notifications.events import Event, Mode


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
