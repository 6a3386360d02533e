"""The programme's referential as seed 000 and seed 001 name it: the national partner
organisations, the ten key mesures, the financing sources. Data migration 0002 writes it (and
can write it again: it is idempotent); ANCT staff edit it afterwards. The conseils
départementaux and régionaux, one per territory, are created from the territories by
`services.referentiel.sync_collectivites` once the territories are imported.
"""

# code → (nom, sigle, catégorie)
ORGANISATIONS = {
    "anct": ("Agence nationale de la cohésion des territoires", "ANCT", "operateur"),
    "bdt": ("Banque des Territoires", "BdT", "financeur_public"),
    "anah": ("Agence nationale de l’habitat", "Anah", "operateur"),
    "cerema": ("Cerema", "Cerema", "operateur"),
    "ademe": ("Agence de la transition écologique", "Ademe", "operateur"),
    "etat": ("État (préfectures, DGCL)", "État", "ministere"),
    "mctrct": (
        "Ministère de la Cohésion des territoires et des Relations avec les collectivités "
        "territoriales",
        "MCTRCT",
        "ministere",
    ),
    "mte": ("Ministère de la Transition écologique", "MTE", "ministere"),
    "culture": ("Ministère de la Culture", "", "ministere"),
    "outre-mer": ("Ministère des Outre-mer", "", "ministere"),
    "economie": ("Ministère de l’Économie, des Finances et de la Relance", "", "ministere"),
    "sante": ("Ministère des Solidarités et de la Santé", "", "ministere"),
    "agriculture": ("Ministère de l’Agriculture et de l’Alimentation", "", "ministere"),
    "recherche": (
        "Ministère de l’Enseignement supérieur, de la Recherche et de l’Innovation",
        "",
        "ministere",
    ),
    "logement": ("Ministère chargé du Logement", "", "ministere"),
    "fondation-patrimoine": ("Fondation du patrimoine", "", "association"),
    "apvf": ("Association des petites villes de France", "APVF", "association"),
    "sites-cites": ("Sites et Cités remarquables de France", "", "association"),
    "pcc": ("Petites cités de caractère de France", "", "association"),
    "cma": ("Chambres de métiers et de l’artisanat (CMA France)", "CMA France", "autre"),
    "cci": ("Chambres de commerce et d’industrie (CCI France)", "CCI France", "autre"),
    "chambres-agriculture": ("Chambres d’agriculture", "", "autre"),
    "fnau": ("Fédération nationale des agences d’urbanisme", "FNAU", "association"),
    "fncaue": (
        "Fédération nationale des conseils d’architecture, d’urbanisme et de l’environnement",
        "FNCAUE",
        "association",
    ),
    "pnr": ("Fédération des Parcs naturels régionaux de France", "", "association"),
    "villette": ("Établissement public de la Villette", "La Villette", "operateur"),
}

AIDES_TERRITOIRES = "https://aides-territoires.beta.gouv.fr/programmes/petites-villes-de-demain/"

# code → (titre, partenaire, pilier, orientation, description, conditions)
MESURES_CLES = {
    "chef-de-projet": (
        "Financement du poste de chef de projet",
        "anct",
        "ingenierie",
        None,
        "Subvention jusqu’à 75 % du poste de chef de projet, pour accompagner la collectivité "
        "dans la définition et la conduite de son projet de territoire.",
        "Cofinancement de l’ANCT, de la Banque des Territoires, de l’État et de l’Anah ; la "
        "part de l’Anah suppose une OPAH-RU en phase pré-opérationnelle ou opérationnelle.",
    ),
    "manager-centre-ville": (
        "Manager de centre-ville et diagnostic flash post-Covid",
        "bdt",
        "mesures",
        "commerce",
        "Subvention de 40 000 € sur deux ans du poste de manager de centre-ville, et "
        "diagnostic flash post-Covid financé à 100 %, avec un plan d’actions pour la relance "
        "du commerce de centre-ville.",
        "",
    ),
    "co-construction": (
        "Accompagnement de deux jours en co-construction",
        "cerema",
        "ingenierie",
        None,
        "Deux jours pour mener une co-construction sur une action complexe (par exemple la "
        "reconversion d’un site en friche).",
        "Prestation comptée en jours d’intervention.",
    ),
    "deficit-friches": (
        "Prise en charge du déficit d’opération des friches",
        "ademe",
        "mesures",
        "transition-ecologique",
        "Prise en charge d’une partie du déficit d’opération des projets de reconversion de "
        "friches urbaines, commerciales et industrielles, pour réaménager des terrains déjà "
        "artificialisés.",
        "",
    ),
    "ilots-fraicheur": (
        "1 000 îlots de fraîcheur et espaces publics écologiques",
        "mte",
        "mesures",
        "espaces-publics",
        "Financement de 1 000 îlots de fraîcheur et d’espaces publics plus écologiques.",
        "",
    ),
    "denormandie": (
        "Dispositif Denormandie dans l’ancien",
        "logement",
        "mesures",
        "habitat",
        "Réduction d’impôt pour les travaux dans l’immobilier ancien, dans le cadre d’une "
        "opération de revitalisation de territoire.",
        "La commune doit être engagée dans une ORT.",
    ),
    "france-services": (
        "France Services",
        "anct",
        "mesures",
        "equipements",
        "Création de 800 France Services d’ici 2022 dans les communes du programme : 30 000 € "
        "de subvention annuelle, formation et aides à l’investissement.",
        "",
    ),
    "fabriques-territoire": (
        "Fabriques de territoire",
        "anct",
        "mesures",
        "numerique",
        "Création de 200 Fabriques de territoire, tiers-lieux regroupant des services liés au "
        "numérique (télétravail, ateliers partagés…) au profit de tout le territoire.",
        "",
    ),
    "micro-folies": (
        "Micro-Folies",
        "culture",
        "mesures",
        "culture-tourisme",
        "Déploiement de 500 Micro-Folies, tiers-lieux numériques culturels développés par "
        "l’établissement public de la Villette, financés jusqu’à 80 % par l’État.",
        "",
    ),
    "fondation-patrimoine": (
        "Aides de la Fondation du patrimoine",
        "fondation-patrimoine",
        "mesures",
        "espaces-publics",
        "Aides financières et accompagnement pour accélérer la rénovation du patrimoine non "
        "classé.",
        "",
    ),
}

# code → (nom, sigle, catégorie, financeur)
SOURCES = {
    "detr": ("Dotation d’équipement des territoires ruraux", "DETR", "dotation", "etat"),
    "dsil": ("Dotation de soutien à l’investissement local", "DSIL", "dotation", "etat"),
    "fnadt": (
        "Fonds national d’aménagement et de développement du territoire",
        "FNADT",
        "dotation",
        "anct",
    ),
    "fonds-friches": ("Fonds friches", "", "fonds", "ademe"),
    "fonds-vert": ("Fonds vert", "", "fonds", "mte"),
    "bdt-manager-commerce": ("Manager de commerce", "", "commerce", "bdt"),
    "bdt-diagnostic-impact": ("Diagnostic impact", "", "commerce", "bdt"),
    "bdt-solution-numerique": ("Solution numérique", "", "commerce", "bdt"),
    "bdt-ingenierie-numerique": ("Ingénierie numérique", "", "commerce", "bdt"),
    "relance-dsil-renovation": (
        "DSIL exceptionnelle : rénovation énergétique des bâtiments publics (France Relance)",
        "DSIL relance",
        "relance",
        "etat",
    ),
    "relance-foncieres-commerce": (
        "Foncières de redynamisation commerciale (France Relance)",
        "",
        "relance",
        "bdt",
    ),
}


def write(apps) -> None:
    """Create or update the referential (the historical models of a migration, or the
    current ones through `django.apps.apps`)."""
    Organisation = apps.get_model("communes", "Organisation")
    Mesure = apps.get_model("financements", "Mesure")
    Source = apps.get_model("financements", "SourceFinancement")
    organisations = {}
    for code, (nom, sigle, categorie) in ORGANISATIONS.items():
        # An organisation created by hand before the referential keeps its row.
        organisation = Organisation.objects.filter(code=code).first() or (
            Organisation.objects.filter(nom=nom).first()
        )
        if organisation is None:
            organisation = Organisation(nom=nom)
        organisation.code, organisation.sigle, organisation.categorie = code, sigle, categorie
        organisation.save()
        organisations[code] = organisation
    for code, (
        titre,
        partenaire,
        pilier,
        orientation,
        description,
        conditions,
    ) in MESURES_CLES.items():
        Mesure.objects.update_or_create(
            code=code,
            defaults={
                "titre": titre,
                "partenaire": organisations[partenaire],
                "pilier": pilier,
                "orientation_id": orientation,
                "description": description,
                "conditions": conditions,
                "url": AIDES_TERRITOIRES,
                "cle": True,
            },
        )
    for code, (nom, sigle, categorie, financeur) in SOURCES.items():
        Source.objects.update_or_create(
            code=code,
            defaults={
                "nom": nom,
                "sigle": sigle,
                "categorie": categorie,
                "financeur": organisations[financeur],
            },
        )
