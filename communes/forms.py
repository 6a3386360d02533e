from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from communes.enums import Role
from communes.models import (
    CHAMPS_PAR_ROLE,
    EPCI,
    Commune,
    Departement,
    DureeJeton,
    Organisation,
    Region,
    User,
)
from communes.perimetre import Perimetre
from pvd.forms import BaseForm


class ConnexionForm(BaseForm, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie ; les "
            "majuscules et minuscules du mot de passe comptent."
        ),
        "inactive": "Ce compte n’est pas encore activé : suivez le lien de votre invitation.",
    }


class MotDePasseOublieForm(BaseForm, PasswordResetForm):
    pass


class NouveauMotDePasseForm(BaseForm, SetPasswordForm):
    pass


class TerritoireSearchForm(BaseForm):
    q = forms.CharField(
        label="Rechercher une commune, un EPCI ou un département",
        help_text="Nom, code INSEE ou code postal. Exemples : Clamecy, 58079, 58500.",
        max_length=100,
        required=False,
    )


class InvitationForm(BaseForm):
    """Who to invite and on which territory, for one role; the choices stay in the inviter's
    perimeter (the service checks it again)."""

    email = forms.EmailField(label="Adresse électronique")
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label="Organisation")
    region = forms.ModelChoiceField(Region.objects.none(), label="Région")
    departement = forms.ModelChoiceField(Departement.objects.none(), label="Département")
    epci = forms.ModelChoiceField(EPCI.objects.none(), label="EPCI")
    commune = forms.ModelChoiceField(Commune.objects.none(), label="Commune")

    def __init__(self, *args, user: User, role: Role, **kwargs):
        self.role = role
        perimetre = Perimetre.of(user)
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.actuels().covered_by(perimetre)
        self.fields["departement"].queryset = Departement.objects.actuels().covered_by(perimetre)
        self.fields["epci"].queryset = EPCI.objects.actuels().for_user(user)
        self.fields["commune"].queryset = Commune.objects.actuels().for_user(user)
        kept = set(CHAMPS_PAR_ROLE[role])
        if role == Role.PARTENAIRE:
            # A partner works nationally, or in a région or a département; only national
            # staff may give the national scope or a région.
            if perimetre.national:
                kept |= {"region", "departement"}
                for name in ("region", "departement"):
                    self.fields[name].required = False
                    self.fields[name].help_text = "Laisser vide pour un partenaire national."
            else:
                kept.add("departement")
        for name in ("organisation", "region", "departement", "epci", "commune"):
            if name not in kept:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") and cleaned.get("departement"):
            raise forms.ValidationError(
                "Choisissez une région ou un département comme territoire, pas les deux."
            )
        return cleaned


class JetonForm(BaseForm):
    libelle = forms.CharField(
        label="Libellé",
        help_text="Pour reconnaître le jeton : le système qui l’utilise, par exemple "
        "« Outil de suivi de la Banque des Territoires ».",
        max_length=100,
    )
    duree = forms.TypedChoiceField(
        label="Durée de validité",
        choices=DureeJeton.choices,
        coerce=int,
        initial=DureeJeton.UN_AN,
    )
