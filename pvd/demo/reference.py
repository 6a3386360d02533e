"""The reference figures of seed 001 (the national dashboard of autumn 2021) that the demo data
reproduces. Counts are communes (or lines, where said) for the programme's 1,646 lauréates;
euro amounts are exact where the note gives them to the euro or the cent."""

from datetime import date
from decimal import Decimal

# The base of every proportion: the lauréates of the real programme.
COMMUNES_PVD = 1646

# Besoins exprimés, share of the communes with a signed convention d'adhésion.
BESOINS = {"chef_de_projet": 0.86, "etudes": 0.63, "investissements": 0.51}

# Chefs de projet: posts per state (444 occupied, "+ de 444"), and VTA.
POSTES = {"occupe": 444, "en_recrutement": 92, "a_recruter": 47, "vacant": 21}
VTA = 17
COUT_ANNUEL = (50_000, 65_000)  # euros, by steps of 500

# Actions: share of the PVD communes with at least one action of the type. OPAH simple is
# drawn among the communes without an OPAH-RU, so that 64 % have an OPAH of either kind.
PART_OPAH_RU = 0.34
PART_OPAH_SIMPLE = 0.64 - PART_OPAH_RU
PART_ACTIONS = {
    "equipement_culturel": 0.43,  # the most frequent équipement
    "equipement_medico_social": 0.31,
    "equipement_sportif": 0.28,
    "tiers_lieu": 0.24,
    "commerce": 0.38,
    "espace_public": 0.46,
    "mobilite": 0.19,
    "patrimoine": 0.22,
    "numerique": 0.12,
}

# Soutiens en ingénierie: 513 distinct communes, 20,959,057 € without the Cerema (days).
SOUTIENS_COMMUNES = 513
SOUTIENS_EUROS = Decimal("20959057")
# organisation code → (communes, euros or None for days)
SOUTIENS = {
    "anah": (214, Decimal("14000000")),
    "bdt": (125, Decimal("3300000")),
    "cerema": (37, None),
    "anct": (32, Decimal("1120000")),
    "mte": (28, Decimal("1050000")),
}
# The others (Ademe, CAUE, agences d'urbanisme, conseils départementaux) take the communes
# and the euros left.
SOUTIENS_AUTRES_COMMUNES = 130
SOUTIENS_AUTRES = ("ademe", "fncaue", "fnau", "conseil_departemental")

# Financements granted (accordé or versé): source code → (communes, euros).
DOTATIONS = {
    "detr": (770, Decimal("91689327.95")),
    "dsil": (258, Decimal("43636749.94")),
    "fnadt": (31, Decimal("3076335.49")),
    "fonds-friches": (128, Decimal("50600000")),
}
# Mesures d'urgence commerce of the Banque des Territoires: 513 collectivités, 7,818,107 €,
# 257 managers de commerce (20,000 € a year: 40,000 € over two years).
COMMERCE_COMMUNES = 513
COMMERCE = {
    "bdt-manager-commerce": (257, Decimal("5140000")),
    "bdt-diagnostic-impact": (236, Decimal("1380000")),
    "bdt-solution-numerique": (141, Decimal("798107")),
    "bdt-ingenierie-numerique": (58, Decimal("500000")),
}
# Lines still requested or refused, per granted line (in the same communes, so that the
# beneficiaries' count is the same whether or not one filters on the state).
PART_NON_ACCORDES = 0.12

# Labels: share of the PVD communes, and the years of their start.
LABELS = {
    "france_services": (0.42, {2020: 0.3, 2021: 0.5, 2022: 0.2}),
    "conseiller_numerique": (0.30, {2021: 0.55, 2022: 0.45}),
    "micro_folie": (0.03, {2021: 0.5, 2022: 0.5}),
    "fabrique_territoire": (0.05, {2020: 0.6, 2021: 0.4}),
}

# Share of the lauréates with a signed convention d'adhésion (1,426 of 1,646), for the
# communes enrolled at scale N > 1.
PART_ADHESIONS = 1426 / 1646

# Le Club (pillar 3), as the note of autumn 2021 counts it: the figures hold at `DATE_NOTE`
# (the real list reaches its 1,426 signatories on 5 October 2021). The Club's calendar is
# national and does not grow with the number of communes: weeks, webinars, the session, its
# modules, the cercle and the communes valorisées are the same at every scale; attendances
# (and so people) scale with the communes.
DATE_NOTE = date(2021, 10, 15)
CLUB_SEMAINES = 4
CLUB_WEBINAIRES = 30
CLUB_COMMUNES_VALORISEES = 30
# « Près de 5 366 participants au total »: attendances at every event begun by the note's
# date, the session de formation's 563 included.
CLUB_PARTICIPATIONS = 5366
FORMATION_MODULES = 4
FORMATION_PARTICIPANTS = 563
# The first cercle thématique: co-piloted by the ANCT and the PUCA with the Gendarmerie, for a
# year from its first meeting (29 September 2021).
CERCLE_TITRE = "Cercle thématique « Sécurité du quotidien »"
CERCLE_THEMATIQUE = "securite-du-quotidien"
CERCLE_COPILOTES = ("anct", "puca", "gendarmerie")
CERCLE_DEBUT = date(2021, 9, 29)
CERCLE_FIN = date(2022, 9, 28)
CERCLE_MEMBRES = 21  # élus at the first meeting; 3 more join later and 1 leaves
# LinkedIn followers (« plus de 10 800 ») and newsletter recipients (« plus de 5 200 ») at the
# note's date; monthly figures before, from these values at the end of January 2021.
AUDIENCE = {"linkedin": 10_837, "infolettre": 5_214}
AUDIENCE_JANVIER_2021 = {"linkedin": 3_950, "infolettre": 2_120}
