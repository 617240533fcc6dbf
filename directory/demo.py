"""Demo directory for `make run`: 60 clearly fictional social-economy enterprises.

They cover the 17 regions and most categories of offerings (caterers in Montérégie among
them), with managers, impacts and achievements; some are in the demo organizations' supplier
files and a few wait for verification. NEQs start with 99 and nothing here is real. Loading
is idempotent: an enterprise whose NEQ exists is left as it is.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    Achievement,
    Enterprise,
    EnterpriseImpact,
    ManagerContact,
    Offering,
    SupplierRegistration,
)
from directory.search import refresh_search_documents
from portal.reference.models import Category, Municipality, Sector

FICTIONAL = "Entreprise fictive créée pour la démonstration du portail."
LF = Enterprise.LegalForm
INTEGRATION, JOBS, POVERTY, SCHOOL = "integration", "job_creation", "poverty", "school_perseverance"
ENV, LOCAL, WOMEN, NEWCOMERS = "environment", "local_services", "gender_equality", "immigrants"

# The SCIAN subsector of each top-level category of offerings.
CATEGORY_SECTORS = {
    "alimentation": "722",
    "entretien": "561",
    "impression": "323",
    "recuperation": "562",
    "informatique": "541",
    "amenagement": "561",
    "demenagement": "484",
    "formation": "611",
    "evenements": "711",
    "mobilier": "337",
    "textiles": "315",
    "batiment": "238",
    "services-personnes": "624",
    "tourisme": "721",
}
# A plausible first three characters of a postal code in each region.
POSTAL_PREFIXES = {
    "01": "G5L", "02": "G7H", "03": "G1R", "04": "G9A", "05": "J1H", "06": "H2X",
    "07": "J8X", "08": "J9X", "09": "G4R", "10": "G8P", "11": "G4X", "12": "G6V",
    "13": "H7N", "14": "J6W", "15": "J7Z", "16": "J4K", "17": "J2B",
}  # fmt: skip

# name, legal form, municipality (MAMH code), offerings (category, name, keywords), impacts
ENTERPRISES = [
    # Montérégie
    (
        "Traiteur fictif La Cigale gourmande",
        LF.COOP_WORKERS,
        "58227",
        [
            ("traiteur", "Buffets chauds et froids", "buffet, réception, lunch"),
            ("boites-repas", "Boîtes à lunch pour réunions", "dîner, réunion"),
        ],
        (INTEGRATION, LOCAL),
    ),
    (
        "Coop fictive Les Saveurs du Richelieu",
        LF.COOP_SOLIDARITY,
        "56083",
        [
            ("traiteur", "Service de traiteur pour événements", "colloque, cocktail"),
            ("cafeteria", "Gestion de cafétérias", "cantine, école"),
        ],
        (JOBS, ENV),
    ),
    (
        "Cuisine collective fictive de Brossard",
        LF.NONPROFIT,
        "58007",
        [
            ("traiteur", "Traiteur communautaire", "repas, buffet"),
            ("insertion", "Plateau de travail en cuisine", "insertion, stage"),
        ],
        (INTEGRATION, POVERTY),
    ),
    (
        "Imprimerie fictive Maskoutaine",
        LF.COOP_WORKERS,
        "54048",
        [
            ("imprimerie", "Impression de documents", "dépliants, affiches, rapports"),
            ("graphisme", "Mise en page", "design, infographie"),
        ],
        (JOBS,),
    ),
    (
        "Ressourcerie fictive de la Rive-Sud",
        LF.NONPROFIT,
        "58227",
        [
            ("reemploi", "Réemploi de mobilier de bureau", "meubles, bureaux"),
            ("collecte", "Collecte des encombrants", "récupération"),
        ],
        (ENV, INTEGRATION),
    ),
    # Montréal
    (
        "Coop fictive Vélo-Livraison Montréal",
        LF.COOP_WORKERS,
        "66023",
        [("livraison", "Livraison à vélo-cargo", "courrier, colis, dernier kilomètre")],
        (ENV, JOBS),
    ),
    (
        "Atelier fictif Couture Solidaire",
        LF.NONPROFIT,
        "66023",
        [
            ("couture", "Confection sur mesure", "retouches, uniformes"),
            ("vetements-travail", "Uniformes de travail", "vêtements, personnalisation"),
        ],
        (WOMEN, NEWCOMERS),
    ),
    (
        "Coop fictive Informatique Équitable",
        LF.COOP_WORKERS,
        "66023",
        [
            ("informatique-recyclage", "Reconditionnement d'ordinateurs", "portables, écrans"),
            ("soutien-informatique", "Soutien technique", "dépannage, parc informatique"),
        ],
        (ENV, INTEGRATION),
    ),
    (
        "Traduction fictive Mosaïque",
        LF.COOP_WORKERS,
        "66023",
        [("traduction", "Traduction français-anglais", "révision, rédaction")],
        (NEWCOMERS,),
    ),
    (
        "Entretien fictif Propre et Net",
        LF.NONPROFIT,
        "66142",
        [
            ("entretien-menager", "Entretien ménager de bureaux", "conciergerie, nettoyage"),
            ("nettoyage-specialise", "Lavage de vitres", "fenêtres, tapis"),
        ],
        (INTEGRATION, POVERTY),
    ),
    (
        "Coop fictive Événements Rassembleurs",
        LF.COOP_SOLIDARITY,
        "66023",
        [
            ("organisation-evenements", "Organisation de colloques", "congrès, logistique"),
            ("location-salles", "Location de salles", "réunion, réception"),
        ],
        (LOCAL,),
    ),
    # Capitale-Nationale
    (
        "Coop fictive du Vieux-Québec, traiteur",
        LF.COOP_WORKERS,
        "23027",
        [("traiteur", "Traiteur pour réunions", "buffet, pause-café")],
        (JOBS,),
    ),
    (
        "Atelier fictif Bois et Savoir-faire",
        LF.NONPROFIT,
        "23027",
        [
            ("ebenisterie", "Ébénisterie sur mesure", "comptoirs, mobilier"),
            ("mobilier-recupere", "Mobilier en bois récupéré", "bancs, tables"),
        ],
        (INTEGRATION, ENV),
    ),
    (
        "Services fictifs Déménagement Solidaire",
        LF.NONPROFIT,
        "23072",
        [("demenagement-bureaux", "Déménagement de bureaux", "boîtes, classeurs")],
        (INTEGRATION,),
    ),
    (
        "Coop fictive Jardins de Portneuf",
        LF.COOP_PRODUCERS,
        "34128",
        [
            ("horticulture", "Production de plants", "fleurs, vivaces"),
            ("paysagement", "Entretien paysager", "tonte, plates-bandes"),
        ],
        (ENV, LOCAL),
    ),
    # Mauricie
    (
        "Coop fictive Mauricie Numérique",
        LF.COOP_WORKERS,
        "37067",
        [
            ("developpement-web", "Sites web accessibles", "site, application, accessibilité"),
            ("donnees", "Saisie de données", "numérisation"),
        ],
        (JOBS,),
    ),
    (
        "Buanderie fictive Trifluvienne",
        LF.NONPROFIT,
        "37067",
        [("buanderie", "Blanchisserie commerciale", "draps, serviettes, uniformes")],
        (INTEGRATION, POVERTY),
    ),
    (
        "Coop fictive Saint-Maurice Plein Air",
        LF.COOP_SOLIDARITY,
        "36033",
        [
            ("activites-plein-air", "Sorties de groupe en plein air", "canot, randonnée"),
            ("hebergement", "Hébergement en chalets", "séjour, groupe"),
        ],
        (LOCAL,),
    ),
    (
        "Traiteur fictif Le Fleuve Gourmand",
        LF.COOP_WORKERS,
        "51015",
        [("traiteur", "Repas pour événements", "buffet, méchoui")],
        (INTEGRATION,),
    ),
    # Estrie
    (
        "Coop fictive Sherbrooke Écoconstruction",
        LF.COOP_WORKERS,
        "43027",
        [
            ("renovation", "Rénovation écoénergétique", "isolation, fenêtres"),
            ("entretien-batiment", "Entretien de bâtiments", "réparations"),
        ],
        (ENV, JOBS),
    ),
    (
        "Épicerie fictive Les Cantons Solidaires",
        LF.COOP_CONSUMERS,
        "47017",
        [("epicerie", "Paniers de produits locaux", "fruits, légumes, fromages")],
        (LOCAL, ENV),
    ),
    (
        "Studio fictif Vidéo des Cantons",
        LF.COOP_WORKERS,
        "45072",
        [("video", "Production vidéo", "capsules, tournage, montage")],
        (SCHOOL,),
    ),
    # Outaouais
    (
        "Coop fictive Outaouais Recyclage",
        LF.COOP_SOLIDARITY,
        "81017",
        [
            ("recyclage", "Tri des matières recyclables", "carton, plastique"),
            ("collecte", "Collecte de matières organiques", "compost"),
        ],
        (ENV, INTEGRATION),
    ),
    (
        "Formation fictive Compétences Gatineau",
        LF.NONPROFIT,
        "81017",
        [
            ("formation-professionnelle", "Formation en entretien", "cours, attestation"),
            ("insertion", "Parcours d'insertion", "emploi, accompagnement"),
        ],
        (INTEGRATION, NEWCOMERS),
    ),
    (
        "Aide à domicile fictive des Collines",
        LF.NONPROFIT,
        "82020",
        [("aide-domicile", "Entretien ménager à domicile", "aînés, maintien à domicile")],
        (LOCAL, WOMEN),
    ),
    # Abitibi-Témiscamingue
    (
        "Coop fictive Boréale Déneigement",
        LF.COOP_WORKERS,
        "86042",
        [("deneigement", "Déneigement de stationnements", "hiver, neige")],
        (LOCAL,),
    ),
    (
        "Atelier fictif Harricana Textiles",
        LF.NONPROFIT,
        "88057",
        [("textiles-promotionnels", "Sacs et articles promotionnels", "sérigraphie, broderie")],
        (ENV, INTEGRATION),
    ),
    (
        "Coop fictive Val-d'Or Transport",
        LF.COOP_SOLIDARITY,
        "89008",
        [("transport-personnes", "Transport adapté", "minibus, navette")],
        (LOCAL,),
    ),
    # Côte-Nord
    (
        "Coop fictive Nordique Traiteur",
        LF.COOP_WORKERS,
        "97007",
        [("traiteur", "Traiteur pour chantiers", "repas, camp")],
        (JOBS, LOCAL),
    ),
    (
        "Ressourcerie fictive Manicouagan",
        LF.NONPROFIT,
        "96020",
        [("reemploi", "Vente de biens réemployés", "friperie, meubles")],
        (ENV, POVERTY),
    ),
    (
        "Coop fictive Baie-Comeau Informatique",
        LF.COOP_WORKERS,
        "96020",
        [("soutien-informatique", "Soutien informatique aux municipalités", "postes, réseau")],
        (JOBS, LOCAL),
    ),
    # Nord-du-Québec
    (
        "Coop fictive Eeyou Services",
        LF.COOP_SOLIDARITY,
        "99025",
        [
            ("entretien-batiment", "Entretien d'immeubles", "conciergerie"),
            ("deneigement", "Déneigement", "neige"),
        ],
        (LOCAL, JOBS),
    ),
    (
        "Coop fictive Chibougamau Bois",
        LF.COOP_WORKER_SHAREHOLDER,
        "99025",
        [("ebenisterie", "Menuiserie", "bois, escaliers")],
        (JOBS,),
    ),
    # Gaspésie–Îles-de-la-Madeleine
    (
        "Coop fictive Gaspésie Gourmande",
        LF.COOP_PRODUCERS,
        "03005",
        [
            ("epicerie", "Produits de la mer transformés", "poisson, fumoir"),
            ("traiteur", "Traiteur de fruits de mer", "homard, buffet"),
        ],
        (LOCAL, JOBS),
    ),
    (
        "Auberge fictive des Îles",
        LF.COOP_SOLIDARITY,
        "01023",
        [("hebergement", "Hébergement de groupes", "auberge, séminaire")],
        (LOCAL,),
    ),
    (
        "Imprimerie fictive de la Baie",
        LF.NONPROFIT,
        "02028",
        [("imprimerie", "Impression grand format", "bannières, affiches")],
        (INTEGRATION,),
    ),
    # Chaudière-Appalaches
    (
        "Coop fictive Lévis Entretien",
        LF.COOP_WORKERS,
        "25213",
        [("entretien-menager", "Entretien ménager industriel", "usine, bureaux")],
        (INTEGRATION, POVERTY),
    ),
    (
        "Atelier fictif Beauce Mobilier",
        LF.NONPROFIT,
        "29073",
        [("mobilier-bureau", "Fabrication de mobilier de bureau", "bureaux, tables")],
        (INTEGRATION,),
    ),
    (
        "Coop fictive Appalaches Agriculture",
        LF.COOP_PRODUCERS,
        "31084",
        [("agriculture-urbaine", "Potagers urbains", "jardin, bacs")],
        (ENV, SCHOOL),
    ),
    # Laval
    (
        "Coop fictive Laval Numérique",
        LF.COOP_WORKERS,
        "65005",
        [
            ("developpement-web", "Applications web", "logiciel, formulaires"),
            ("soutien-informatique", "Soutien informatique", "réseau, postes"),
        ],
        (JOBS,),
    ),
    (
        "Cuisine fictive L'Entraide lavalloise",
        LF.NONPROFIT,
        "65005",
        [
            ("boites-repas", "Plats préparés", "repas congelés"),
            ("traiteur", "Traiteur de quartier", "buffet"),
        ],
        (POVERTY, NEWCOMERS),
    ),
    (
        "Garderie fictive Les Petits Pas",
        LF.NONPROFIT,
        "65005",
        [("petite-enfance", "Service de garde", "CPE, poupons")],
        (WOMEN, LOCAL),
    ),
    # Lanaudière
    (
        "Coop fictive Terrebonne Paysage",
        LF.COOP_WORKERS,
        "64008",
        [("paysagement", "Aménagement paysager", "plantation, pavé")],
        (ENV,),
    ),
    (
        "Spectacles fictifs Lanaudière en scène",
        LF.NONPROFIT,
        "60013",
        [("spectacles", "Animation d'événements", "musique, théâtre")],
        (LOCAL, SCHOOL),
    ),
    (
        "Coop fictive Mascouche Recyclage",
        LF.COOP_SOLIDARITY,
        "64015",
        [("informatique-recyclage", "Recyclage d'équipement électronique", "écrans, piles")],
        (ENV,),
    ),
    # Laurentides
    (
        "Coop fictive Laurentides Services-conseils",
        LF.COOP_WORKERS,
        "75017",
        [
            (
                "services-conseils",
                "Accompagnement en approvisionnement responsable",
                "achat, stratégie",
            )
        ],
        (LOCAL,),
    ),
    (
        "Traiteur fictif des Pays-d'en-Haut",
        LF.NONPROFIT,
        "73015",
        [
            ("traiteur", "Traiteur pour conseils municipaux", "buffet, sandwichs"),
            ("cafeteria", "Cafétéria d'entreprise", "cantine"),
        ],
        (INTEGRATION,),
    ),
    (
        "Atelier fictif Mirabel Vêtements",
        LF.COOP_WORKERS,
        "74005",
        [("vetements-travail", "Vêtements de travail brodés", "chemises, logos")],
        (WOMEN,),
    ),
    # Centre-du-Québec
    (
        "Coop fictive Drummond Déménagement",
        LF.COOP_WORKERS,
        "49058",
        [("demenagement-bureaux", "Déménagement d'écoles et de bureaux", "boîtes, transport")],
        (JOBS,),
    ),
    (
        "Ressourcerie fictive des Bois-Francs",
        LF.NONPROFIT,
        "39062",
        [
            ("recyclage", "Recyclage de matériaux", "bois, métal"),
            ("reemploi", "Magasin de réemploi", "électroménagers"),
        ],
        (ENV, INTEGRATION),
    ),
    (
        "Mutuelle fictive de prévention Centre-du-Québec",
        LF.MUTUAL,
        "49058",
        [("services-conseils", "Prévention en santé et sécurité", "formation, audit")],
        (LOCAL,),
    ),
    # Bas-Saint-Laurent
    (
        "Coop fictive Rimouski Traiteur du Fleuve",
        LF.COOP_WORKERS,
        "10043",
        [("traiteur", "Traiteur pour congrès", "buffet, banquet")],
        (JOBS,),
    ),
    (
        "Coop fictive Témiscouata Forêt",
        LF.COOP_WORKER_SHAREHOLDER,
        "12072",
        [("paysagement", "Entretien d'espaces verts", "élagage, débroussaillage")],
        (ENV, JOBS),
    ),
    (
        "Atelier fictif Matane Couture",
        LF.NONPROFIT,
        "08053",
        [("couture", "Réparation de textiles", "rideaux, uniformes")],
        (WOMEN, INTEGRATION),
    ),
    # Saguenay–Lac-Saint-Jean
    (
        "Coop fictive Saguenay Entretien",
        LF.COOP_WORKERS,
        "94068",
        [("entretien-menager", "Entretien ménager", "édifices publics")],
        (INTEGRATION,),
    ),
    (
        "Coop fictive Bleuets et Compagnie",
        LF.COOP_PRODUCERS,
        "93042",
        [("epicerie", "Produits du bleuet", "confitures, paniers-cadeaux")],
        (LOCAL,),
    ),
    (
        "Centre fictif de formation Lac-Saint-Jean",
        LF.NONPROFIT,
        "92022",
        [("formation-professionnelle", "Formation en cuisine", "hygiène, salubrité")],
        (INTEGRATION, SCHOOL),
    ),
    # Still waiting for verification (not public)
    (
        "Coop fictive Nouvelle Cuisine de Longueuil",
        LF.COOP_WORKERS,
        "58227",
        [("traiteur", "Traiteur de nuit", "repas")],
        (JOBS,),
    ),
    (
        "OBNL fictif Rénovation Solidaire",
        LF.NONPROFIT,
        "66023",
        [("renovation", "Petits travaux de rénovation", "peinture")],
        (INTEGRATION,),
    ),
    (
        "Coop fictive Services Numériques de Québec",
        LF.COOP_WORKERS,
        "23027",
        [("donnees", "Traitement de données", "numérisation, saisie")],
        (JOBS,),
    ),
]
PENDING = 3  # the last three wait for verification

MANAGER_NAMES = [
    ("Josée Lavoie", "Directrice générale"),
    ("Marc-André Gagnon", "Directeur des ventes"),
    ("Nadia Bouchard", "Coordonnatrice"),
    ("Samuel Tremblay", "Directeur général"),
    ("Aïcha Diallo", "Responsable du développement"),
    ("Louis Côté", "Directeur des opérations"),
]
ACHIEVEMENTS = [
    ("Service pour le colloque régional", "Ville fictive de Belle-Rive"),
    ("Contrat annuel d'entretien", "Centre de services scolaire fictif du Fleuve"),
    ("Projet pilote d'achat responsable", "CISSS fictif de la Vallée"),
]
# Enterprises (by position above) in each demo organization's supplier file.
SUPPLIER_FILES = {"ville-a": [0, 1, 2, 3, 4, 10], "css-b": [5, 6, 7, 9], "cisss-c": [15, 16, 18]}


@transaction.atomic
def load(context) -> None:
    coordinator = context.users.get("coordinator")
    categories = {category.slug: category for category in Category.objects.select_related("parent")}
    municipalities = Municipality.objects.in_bulk([row[2] for row in ENTERPRISES])
    sectors = Sector.objects.in_bulk(list(CATEGORY_SECTORS.values()))
    known = set(Enterprise.objects.filter(neq__startswith="99").values_list("neq", flat=True))
    created, enterprises = [], []
    for number, row in enumerate(ENTERPRISES):
        neq = f"99000000{number + 1:02d}"
        enterprise = (
            Enterprise.objects.get(neq=neq)
            if neq in known
            else _create(number, neq, row, categories, municipalities, sectors, coordinator)
        )
        if neq not in known:
            created.append(enterprise.pk)
        enterprises.append(enterprise)
    _register_in_supplier_files(context, enterprises)
    refresh_search_documents(created)


def _create(number, neq, row, categories, municipalities, sectors, coordinator) -> Enterprise:
    name, legal_form, municipality_code, offerings, impacts = row
    municipality = municipalities[municipality_code]
    now = timezone.now()
    pending = number >= len(ENTERPRISES) - PENDING
    slug = slugify(name)
    tops = dict.fromkeys(
        categories[category_slug].parent.slug
        if categories[category_slug].parent_id
        else category_slug
        for category_slug, _name, _keywords in offerings
    )
    enterprise_sectors = [sectors[CATEGORY_SECTORS[top]] for top in tops]
    enterprise = Enterprise.objects.create(
        name=name,
        neq=neq,
        legal_form=legal_form,
        primary_sector=enterprise_sectors[0],
        status=Enterprise.Status.PENDING if pending else Enterprise.Status.VERIFIED,
        status_decided_by=None if pending else coordinator,
        status_decided_at=None if pending else now,
        submitted_at=now,
        mission=f"{offerings[0][1]} offert par une entreprise d'économie sociale de "
        f"{municipality.name}.",
        description=f"{FICTIONAL} Elle illustre une entreprise d'économie sociale qui sert les "
        f"organismes publics de sa région.",
        municipality=municipality,
        region_id=municipality.region_id,
        address=f"{100 + number * 7} rue Fictive",
        postal_code=f"{POSTAL_PREFIXES[municipality.region_id]} {number % 9 + 1}A{number % 7 + 1}",
        website=f"https://{slug[:40]}.example",
        email=f"info@{slug[:40]}.example",
        phone=f"555-01{number % 100:02d}",
        employees=5 + (number * 13) % 60,
        people_in_integration=(number * 7) % 12 if "integration" in impacts else None,
        size_band=Enterprise.SizeBand.SMALL,
        is_published=not pending,
        publication_consent_at=now,
        publication_consent_by=coordinator,
    )
    for position, (category_slug, offering_name, keywords) in enumerate(offerings):
        Offering.objects.create(
            enterprise=enterprise,
            name=offering_name,
            category=categories[category_slug],
            keywords=keywords,
            description=f"{offering_name} — {FICTIONAL.lower()}",
            position=position,
        )
    enterprise.sectors.set(enterprise_sectors)
    served = {municipality.region_id}
    if number % 4 == 0:
        served.add("06" if municipality.region_id != "06" else "13")
    enterprise.regions_served.set(sorted(served))
    EnterpriseImpact.objects.bulk_create(
        EnterpriseImpact(enterprise=enterprise, impact=impact) for impact in dict.fromkeys(impacts)
    )
    for index in range(1 + number % 2):
        contact_name, title = MANAGER_NAMES[(number + index) % len(MANAGER_NAMES)]
        ManagerContact.objects.create(
            enterprise=enterprise,
            name=f"{contact_name} (fictif)",
            title=title,
            email=f"{slugify(contact_name)}@{slug[:40]}.example",
            phone=f"555-02{(number + index) % 100:02d}",
        )
    if number % 3 == 0:
        title, client = ACHIEVEMENTS[number % len(ACHIEVEMENTS)]
        Achievement.objects.create(
            enterprise=enterprise,
            title=title,
            client=client,
            year=2024 + number % 2,
            description=FICTIONAL,
        )
    return enterprise


def _register_in_supplier_files(context, enterprises) -> None:
    start = timezone.localdate() - datetime.timedelta(days=200)
    for key, positions in SUPPLIER_FILES.items():
        organization = context.organizations.get(key)
        if organization is None:
            continue
        for offset, position in enumerate(positions):
            SupplierRegistration.objects.get_or_create(
                enterprise=enterprises[position],
                organization=organization,
                withdrawn_on=None,
                defaults={"registered_on": start + datetime.timedelta(days=offset * 20)},
            )
