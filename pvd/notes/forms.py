"""The form asking for a note de suivi."""

from django import forms
from django.utils import timezone

from communes.perimetre import Perimetre
from pvd.forms import BaseForm
from pvd.notes import perimetres
from pvd.notes.permissions import perimetres_demandables


class DemandeNoteForm(BaseForm):
    perimetre = forms.ChoiceField(label="Territoire")
    jour = forms.DateField(
        label="Chiffres au",
        help_text="Les chiffres tels qu’ils étaient ce jour-là (aujourd’hui au plus tard).",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the territories `user` may ask for (the service checks again).
        self.fields["perimetre"].choices = perimetres.choix(perimetres_demandables(user))

    def clean_perimetre(self) -> Perimetre:
        try:
            return Perimetre.parse(self.cleaned_data["perimetre"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
