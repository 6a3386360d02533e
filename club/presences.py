"""Reading a webinar tool's export of participants (CSV with an e-mail and a name, sometimes
the commune asked by the registration form) into checked rows.

Every row is checked before anything is written; a bad row is reported with its line, its
column, its value and the reason in French. The writing is `services.import_presences`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from communes.models import Commune
from pvd.fichiers import est_formule, raison_formule
from pvd.text import nombre, normalize_search

TAILLE_MAXIMALE = 5 * 1024 * 1024  # 5 Mo: a webinar of 10,000 people is well below
LIGNES_MAXIMALES = 20_000

# Header names the usual tools write (Zoom, Livestorm, Webex, Teams, a form), normalised.
COLONNES = {
    "email": {
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse e mail",
        "adresse email",
        "adresse mail",
        "adresse electronique",
        "adresse de messagerie",
        "user email",
        "email de l utilisateur",
    },
    "prenom": {"prenom", "first name", "firstname", "given name"},
    "nom": {"nom", "nom de famille", "last name", "lastname", "surname", "family name"},
    "nom_complet": {
        "nom complet",
        "name",
        "full name",
        "participant",
        "nom du participant",
        "name original name",
        "nom d utilisateur",
        "user name",
    },
    "commune": {"commune", "ville", "collectivite", "votre commune", "nom de la commune"},
    "code_insee": {"code insee", "insee", "code commune", "code officiel geographique"},
}

# Webmail and internet providers' domains: they tell nothing about a commune.
DOMAINES_PERSONNELS = frozenset(
    {
        "gmail.com",
        "yahoo.fr",
        "yahoo.com",
        "hotmail.fr",
        "hotmail.com",
        "outlook.fr",
        "outlook.com",
        "live.fr",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "laposte.net",
        "bbox.fr",
        "aol.com",
        "icloud.com",
        "me.com",
        "protonmail.com",
        "proton.me",
        "gmx.fr",
        "numericable.fr",
    }
)


@dataclass
class Erreur:
    ligne: int
    colonne: str
    valeur: str
    raison: str

    def __str__(self) -> str:
        return f"Ligne {self.ligne}, colonne « {self.colonne} » (« {self.valeur} ») : {self.raison}"


@dataclass
class Ligne:
    numero: int
    email: str
    prenom: str
    nom: str
    commune: Commune | None


@dataclass
class Lecture:
    lignes: list[Ligne] = field(default_factory=list)
    erreurs: list[Erreur] = field(default_factory=list)
    doublons: int = 0


class FichierIllisible(Exception):
    """The file cannot be read at all (size, encoding, no e-mail column)."""


def _decode(contenu: bytes) -> str:
    if len(contenu) > TAILLE_MAXIMALE:
        raise FichierIllisible("Le fichier dépasse 5 Mo : découpez-le en plusieurs imports.")
    if not contenu.strip():
        raise FichierIllisible("Le fichier est vide.")
    if b"\x00" in contenu[:4096] and not contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FichierIllisible(
            "Ce fichier n’est pas un CSV (contenu binaire) : exportez la liste des participants "
            "au format CSV."
        )
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            texte = contenu.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        # Excel in French saves "CSV (séparateur : point-virgule)" in Windows-1252.
        texte = contenu.decode("cp1252", errors="replace")
    if "\x00" in texte:  # binary further down (the database could not store it anyway)
        raise FichierIllisible(
            "Ce fichier n’est pas un CSV (contenu binaire) : exportez la liste des participants "
            "au format CSV."
        )
    return texte


def _delimiter(premiere_ligne: str) -> str:
    return max([";", ",", "\t"], key=premiere_ligne.count)


def _colonnes(entetes: list[str]) -> dict[str, int]:
    trouvees: dict[str, int] = {}
    for index, entete in enumerate(entetes):
        cle = normalize_search(entete)
        for nom, variantes in COLONNES.items():
            if cle in variantes and nom not in trouvees:
                trouvees[nom] = index
    return trouvees


class CommuneResolver:
    """Finds a row's commune: by INSEE code, by name (with its département "Clamecy (58)"
    when the name is shared), or else by the e-mail's domain when every known person of that
    domain belongs to one commune."""

    def __init__(self, domaines: dict[str, str]):
        self.domaines = domaines  # domain → INSEE code
        self._communes: dict[str, Commune] = {}

    def by_code(self, code: str) -> Commune | None:
        code = code.strip().upper()
        if code not in self._communes:
            commune = Commune.objects.filter(pk=code, obsolete=False).first()
            if commune is None:
                return None
            self._communes[code] = commune
        return self._communes[code]

    def by_name(self, valeur: str) -> tuple[Commune | None, str]:
        match = re.fullmatch(r"\s*(.+?)\s*\(\s*(\d[\dAB]\d?)\s*\)\s*", valeur)
        nom, departement = (match.group(1), match.group(2)) if match else (valeur, None)
        candidates = Commune.objects.filter(nom_recherche=normalize_search(nom), obsolete=False)
        if departement:
            candidates = candidates.filter(departement=departement.zfill(2))
        communes = list(candidates[:5])
        if not communes:
            return None, "aucune commune ne porte ce nom"
        if len(communes) > 1:
            departements = ", ".join(sorted(c.departement_id or "" for c in communes))
            return None, (
                f"plusieurs communes portent ce nom (départements {departements}) : écrivez "
                "« Nom (département) » ou donnez le code INSEE"
            )
        return communes[0], ""

    def by_domain(self, email: str) -> Commune | None:
        code = self.domaines.get(email.rpartition("@")[2])
        return self.by_code(code) if code else None


def lire(contenu: bytes, resolver: CommuneResolver) -> Lecture:
    """Read and check every row of the file; raise FichierIllisible if it has no shape."""
    try:
        return _lire(_decode(contenu), resolver)
    except csv.Error as error:  # a cell longer than csv's limit (128 Ko)
        raise FichierIllisible(
            "Ce CSV ne peut pas être lu : une ligne est trop longue ou mal formée. Exportez à "
            "nouveau la liste des participants au format CSV."
        ) from error


# The cells written to a participant: a formula there would run in the Club's CSV exports.
_COLONNES_TEXTE = {"email": "E-mail", "prenom": "Prénom", "nom": "Nom", "nom_complet": "Nom"}


def _lire(texte: str, resolver: CommuneResolver) -> Lecture:
    lignes = texte.splitlines()
    # Some tools write a title and a blank line above the table: the header is the first
    # line that names an e-mail column.
    debut = next(
        (
            i
            for i, ligne in enumerate(lignes[:20])
            if "email" in _colonnes(next(csv.reader([ligne], delimiter=_delimiter(ligne))))
        ),
        None,
    )
    if debut is None:
        raise FichierIllisible(
            "Aucune colonne d’adresse électronique (« E-mail », « Courriel », « Email »…) "
            "dans les 20 premières lignes : ce n’est pas un export de participants."
        )
    delimiter = _delimiter(lignes[debut])
    reader = csv.reader(io.StringIO("\n".join(lignes[debut:])), delimiter=delimiter)
    colonnes = _colonnes(next(reader))
    lecture = Lecture()
    vues: dict[str, int] = {}

    def cellule(row: list[str], nom: str) -> str:
        index = colonnes.get(nom)
        return row[index].strip() if index is not None and index < len(row) else ""

    for offset, row in enumerate(reader):
        numero = debut + 2 + offset  # the file's line number (1 is the header at the top)
        if numero - debut > LIGNES_MAXIMALES:
            raise FichierIllisible(f"Le fichier dépasse {nombre(LIGNES_MAXIMALES)} lignes.")
        if not any(cell.strip() for cell in row):
            continue
        email = cellule(row, "email").lower()
        erreurs_avant = len(lecture.erreurs)
        for nom_colonne, entete in _COLONNES_TEXTE.items():
            if est_formule(valeur := cellule(row, nom_colonne)):
                lecture.erreurs.append(Erreur(numero, entete, valeur, raison_formule(valeur)))
        if not email:
            lecture.erreurs.append(Erreur(numero, "E-mail", "", "l’adresse est vide"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                lecture.erreurs.append(
                    Erreur(numero, "E-mail", email, "ce n’est pas une adresse électronique")
                )
        prenom, nom = cellule(row, "prenom"), cellule(row, "nom")
        if not (prenom or nom) and (complet := cellule(row, "nom_complet")):
            prenom, _, nom = complet.partition(" ")
        commune = None
        if code := cellule(row, "code_insee"):
            commune = resolver.by_code(code)
            if commune is None:
                lecture.erreurs.append(
                    Erreur(numero, "Code INSEE", code, "aucune commune n’a ce code INSEE")
                )
        elif nom_commune := cellule(row, "commune"):
            commune, raison = resolver.by_name(nom_commune)
            if commune is None:
                lecture.erreurs.append(Erreur(numero, "Commune", nom_commune, raison))
        elif email:
            commune = resolver.by_domain(email)
        if len(lecture.erreurs) > erreurs_avant:
            continue
        if email in vues:
            # Tools write one row per connection: someone who joined twice attended once.
            lecture.doublons += 1
            continue
        vues[email] = numero
        lecture.lignes.append(Ligne(numero, email, prenom[:150], nom[:150], commune))
    if not lecture.lignes and not lecture.erreurs:
        raise FichierIllisible("Le fichier ne contient aucun participant.")
    return lecture
