"""A realistic, deterministic data set at any scale (`manage.py generate_dataset`).

Everything derives from one seeded `random.Random` and a reference date (`today`), so the
same arguments give the same rows. Rows are built as tuples in Python and written with COPY
on PostgreSQL (`executemany` on SQLite, for the tests), table by table and chunk by chunk,
parents first; no model is saved one by one. Ids are assigned here (the database must be
empty of the generated models) and the sequences are reset at the end.

What it makes, for N enterprises, M organizations and K awards:
- enterprises over every region, municipality (weighted by population), SCIAN subsector and
  offering category; about 70 % verified EÉS (most published), the rest suppliers that are
  not (or not yet) EÉS; unique, well-formed NEQs (11 + 8 digits); offerings, impacts,
  sectors, regions served, managers, achievements, a few representatives; the search
  document and vocabulary built by `directory.search` itself;
- organizations of every kind with an officer, a buyer and a manager each, and a coordinator;
- supplier-file registrations, annual needs, processes of each method with invitations and
  bids, K awards over the three years up to `today` (the denormalized `organization`
  filled), activities of each kind with organizations and enterprises present, and business
  contacts (some at matchmaking activities).
Historical (audit) tables are left empty: the data set is a starting state, not a history.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils.text import slugify

from directory.models import (
    Achievement,
    Enterprise,
    EnterpriseImpact,
    Impact,
    ManagerContact,
    Offering,
    Representative,
    SupplierRegistration,
)
from directory.tally import rebuild_facet_tally
from portal.accounts.models import Membership, Organization, User
from portal.reference.models import Category, Municipality, Region, Sector
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
)

DATASET_PASSWORD = "donnees-banc-2026"  # generated accounts only; never a real account
CHUNK = 20_000

# Words a search benchmark can count on: each is in the names or offerings of many enterprises.
SEARCH_WORDS = ["traiteur", "recyclage", "entretien", "imprimerie", "menuiserie", "informatique"]

# --- Word lists -----------------------------------------------------------------------------
# Top-level category slug -> (SCIAN subsector, name cores, offerings (name, keywords)).
TRADES = {
    "alimentation": (
        "722",
        ["Traiteur", "Cuisine collective", "Café-traiteur", "Saveurs"],
        [
            ("Service de traiteur pour événements", "traiteur, buffet, cocktail, réception"),
            ("Boîtes à lunch pour réunions", "traiteur, lunch, dîner, réunion"),
            ("Gestion de cafétérias", "cafétéria, cantine, école, repas"),
            ("Plats préparés et surgelés", "repas, plats cuisinés, popote"),
        ],
    ),
    "entretien": (
        "561",
        ["Entretien ménager", "Propreté", "Services d'entretien"],
        [
            ("Entretien ménager de bureaux", "entretien, ménage, conciergerie, nettoyage"),
            ("Nettoyage après travaux", "entretien, nettoyage, désinfection"),
            ("Conciergerie d'immeubles", "conciergerie, entretien, immeuble"),
        ],
    ),
    "impression": (
        "323",
        ["Imprimerie", "Atelier graphique", "Communications"],
        [
            ("Impression de documents", "imprimerie, dépliants, affiches, rapports"),
            ("Graphisme et mise en page", "graphisme, design, infographie, imprimerie"),
            ("Impression grand format", "imprimerie, bannières, signalisation"),
        ],
    ),
    "recuperation": (
        "562",
        ["Ressourcerie", "Recyclage", "Récupération"],
        [
            ("Collecte et recyclage de matériel", "recyclage, collecte, récupération"),
            ("Réemploi de mobilier de bureau", "réemploi, meubles, recyclage"),
            ("Déchiquetage de documents confidentiels", "déchiquetage, recyclage, papier"),
        ],
    ),
    "informatique": (
        "541",
        ["Informatique", "Solutions numériques", "Techno"],
        [
            ("Reconditionnement d'ordinateurs", "informatique, portables, recyclage, écrans"),
            ("Soutien technique informatique", "informatique, dépannage, parc informatique"),
            ("Développement de sites Web", "informatique, site web, numérique"),
        ],
    ),
    "amenagement": (
        "561",
        ["Paysagement", "Jardins", "Espaces verts"],
        [
            ("Entretien d'espaces verts", "entretien, tonte, paysagement, horticulture"),
            ("Aménagement paysager", "paysagement, plantation, jardin"),
            ("Déneigement de trottoirs", "déneigement, entretien, hiver"),
        ],
    ),
    "demenagement": (
        "484",
        ["Déménagement", "Transport", "Livraison"],
        [
            ("Déménagement de bureaux", "déménagement, transport, bureaux"),
            ("Livraison à vélo-cargo", "livraison, colis, courrier"),
            ("Transport adapté", "transport, minibus, accompagnement"),
        ],
    ),
    "formation": (
        "611",
        ["Formation", "Services-conseils", "Accompagnement"],
        [
            ("Formation en santé et sécurité", "formation, sécurité, atelier"),
            ("Services-conseils en gestion", "conseil, gestion, accompagnement"),
            ("Traduction et révision", "traduction, révision, rédaction"),
        ],
    ),
    "evenements": (
        "711",
        ["Événements", "Productions", "Culture"],
        [
            ("Organisation d'événements", "événements, colloque, animation"),
            ("Location d'équipement de scène", "son, éclairage, scène"),
            ("Animation culturelle", "animation, spectacle, culture"),
        ],
    ),
    "mobilier": (
        "337",
        ["Menuiserie", "Ébénisterie", "Atelier du meuble"],
        [
            ("Fabrication de mobilier sur mesure", "menuiserie, meubles, bois, ébénisterie"),
            ("Réparation de chaises et de tables", "menuiserie, réparation, meubles"),
            ("Mobilier urbain en bois", "menuiserie, bancs, bois"),
        ],
    ),
    "textiles": (
        "315",
        ["Couture", "Atelier textile", "Confection"],
        [
            ("Confection d'uniformes de travail", "couture, uniformes, vêtements"),
            ("Retouches et réparations", "couture, retouches, vêtements"),
            ("Sacs réutilisables", "couture, sacs, textile recyclé"),
        ],
    ),
    "batiment": (
        "238",
        ["Rénovation", "Construction", "Bâtiment"],
        [
            ("Rénovation de bâtiments", "rénovation, construction, menuiserie"),
            ("Peinture intérieure et extérieure", "peinture, rénovation, entretien"),
            ("Entretien de bâtiments", "entretien, bâtiment, réparation"),
        ],
    ),
    "services-personnes": (
        "624",
        ["Aide à domicile", "Services aux personnes", "Entraide"],
        [
            ("Aide à domicile", "aide à domicile, soins, entretien ménager"),
            ("Service de garde", "garde, enfants, halte-garderie"),
            ("Accompagnement de personnes aînées", "aînés, accompagnement, transport"),
        ],
    ),
    "tourisme": (
        "721",
        ["Auberge", "Tourisme", "Plein air"],
        [
            ("Hébergement de groupes", "hébergement, auberge, séjour"),
            ("Location de salles", "salle, réunion, colloque"),
            ("Activités de plein air", "plein air, camp, nature"),
        ],
    ),
}
NAME_PATTERNS = {
    Enterprise.LegalForm.COOP_WORKERS: "Coopérative de travail {core} {place}",
    Enterprise.LegalForm.COOP_SOLIDARITY: "Coopérative de solidarité {core} {place}",
    Enterprise.LegalForm.COOP_CONSUMERS: "Coop {core} {place}",
    Enterprise.LegalForm.COOP_PRODUCERS: "Coopérative de producteurs {core} {place}",
    Enterprise.LegalForm.COOP_WORKER_SHAREHOLDER: "{core} {place}, coopérative",
    Enterprise.LegalForm.NONPROFIT: "{core} {place}",
    Enterprise.LegalForm.MUTUAL: "Mutuelle {core} {place}",
    Enterprise.LegalForm.OTHER: "{core} {place} inc.",
}
QUALIFIERS = [
    "solidaire", "du quartier", "Horizon", "L'Essor", "Le Relais", "Alliance", "Le Tremplin",
    "Racines", "La Ruche", "Boréal", "Le Phare", "Mosaïque", "Envol", "L'Atelier", "Cap",
]  # fmt: skip
LEGAL_FORMS = [  # (form, weight) among EÉS
    (Enterprise.LegalForm.NONPROFIT, 45),
    (Enterprise.LegalForm.COOP_WORKERS, 15),
    (Enterprise.LegalForm.COOP_SOLIDARITY, 15),
    (Enterprise.LegalForm.COOP_CONSUMERS, 8),
    (Enterprise.LegalForm.COOP_PRODUCERS, 5),
    (Enterprise.LegalForm.COOP_WORKER_SHAREHOLDER, 4),
    (Enterprise.LegalForm.MUTUAL, 3),
]
FIRST_NAMES = [
    "Camille", "Louis", "Léa", "Mathieu", "Chloé", "Olivier", "Émilie", "Gabriel", "Sophie",
    "Samuel", "Julie", "Alexandre", "Marie", "Félix", "Catherine", "Nathan", "Amélie", "Karim",
    "Fatima", "Nguyen", "Isabelle", "Jean", "Maude", "Rosalie",
]  # fmt: skip
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé",
]  # fmt: skip
TITLES = ["Directrice générale", "Directeur général", "Coordonnatrice", "Responsable des ventes"]
CERTIFICATIONS = ["Entreprise d'insertion certifiée", "ICI on recycle +", "Écoresponsable"]
ORGANIZATION_KINDS = [  # (kind, name pattern, weight)
    (Organization.Kind.MUNICIPAL, "Ville de {place}", 40),
    (Organization.Kind.PARAMUNICIPAL, "Office municipal d'habitation de {place}", 8),
    (Organization.Kind.HEALTH, "CISSS de {place}", 12),
    (Organization.Kind.EDUCATION, "Centre de services scolaire de {place}", 20),
    (Organization.Kind.GOVERNMENT, "Direction régionale de {place}", 12),
    (Organization.Kind.PRIVATE, "Fondation de {place}", 8),
]
PROCESS_QUALIFIERS = [
    "contrat annuel", "entente-cadre", "besoin ponctuel", "lot régional", "services récurrents",
    "projet pilote", "renouvellement", "saison estivale", "saison hivernale",
]  # fmt: skip
ACTIVITY_TITLES = {
    Activity.Kind.MATCHMAKING: "Maillage d'affaires {place}",
    Activity.Kind.TRAINING: "Formation : répondre aux appels d'offres ({place})",
    Activity.Kind.AWARENESS: "Sensibilisation à l'achat en économie sociale ({place})",
    Activity.Kind.TRADE_FAIR: "Salon de l'économie sociale {place}",
}
POSTAL_PREFIXES = {
    "01": "G5L", "02": "G7H", "03": "G1R", "04": "G9A", "05": "J1H", "06": "H2X",
    "07": "J8X", "08": "J9X", "09": "G4R", "10": "G8P", "11": "G4X", "12": "G6V",
    "13": "H7N", "14": "J6W", "15": "J7Z", "16": "J4K", "17": "J2B",
}  # fmt: skip
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
STREETS = ["rue Principale", "boulevard Saint-Laurent", "rue de l'Église", "avenue du Parc"]


class DatasetError(Exception):
    """The data set cannot be generated (non-empty database, missing reference data)."""


# --- Writing rows ---------------------------------------------------------------------------
class Table:
    """A model's table: the columns we give, plus constant defaults for the others."""

    def __init__(self, model: type[Model] | object, columns: list[str], now: datetime):
        self.table = model._meta.db_table
        self.columns = list(columns)
        extra_columns, extra_values = [], []
        for f in model._meta.local_concrete_fields:
            if f.column in self.columns:
                continue
            if f.has_default():
                value = f.get_default()
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.null:
                value = None
            elif f.get_internal_type() in {
                "CharField", "TextField", "SlugField", "EmailField", "URLField", "FileField",
                "ImageField",
            }:  # fmt: skip
                value = ""
            else:
                raise DatasetError(f"{self.table}.{f.column} needs a value.")
            extra_columns.append(f.column)
            extra_values.append(value)
        self.all_columns = self.columns + extra_columns
        self.extra = tuple(extra_values)
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> int:
        extra = self.extra
        rows = (row + extra for row in rows)
        written = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                columns = ", ".join(self.all_columns)
                raw = cursor.cursor
                with raw.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
            else:
                placeholders = ", ".join(["%s"] * len(self.all_columns))
                sql = (  # names from the models' metadata, never from input
                    f"INSERT INTO {self.table} ({', '.join(self.all_columns)}) "  # noqa: S608
                    f"VALUES ({placeholders})"
                )
                batch = list(rows)
                cursor.executemany(sql, batch)
                written = len(batch)
        self.count += written
        return written


def m2m_table(field_descriptor, now: datetime, *columns: str) -> Table:
    return Table(field_descriptor.through, list(columns), now)


# --- Generation -----------------------------------------------------------------------------
@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


@dataclass
class _Enterprise:
    """What later steps need to know of a generated enterprise."""

    id: int
    eess: bool
    published: bool
    region_id: str
    categories: list[int]


class Generator:
    def __init__(
        self,
        *,
        enterprises: int,
        organizations: int,
        awards: int,
        seed: int = 1,
        today: date | None = None,
        echo: Callable[[str], None] | None = None,
    ):
        if enterprises < 1 or organizations < 1 or awards < 0:
            raise DatasetError("Enterprises and organizations must be at least 1, awards >= 0.")
        self.n_enterprises = enterprises
        self.n_organizations = organizations
        self.n_awards = awards
        self.seed = seed
        self.today = today or date.today()
        self.rng = random.Random(seed)
        self.now = datetime.combine(self.today, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=12
        )
        self.start = self.today - timedelta(days=3 * 365)
        self.echo = echo or (lambda message: None)
        self.report = Report()
        self._moments: dict[date, datetime] = {}

    # -- helpers
    def _moment(self, day: date) -> datetime:
        moment = self._moments.get(day)
        if moment is None:
            moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=14)
            self._moments[day] = moment
        return moment

    def _day(self, start: date | None = None, end: date | None = None) -> date:
        start, end = start or self.start, end or self.today
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _step(self, name: str, function: Callable[[], None]) -> None:
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        self.report.timings[name] = elapsed
        self.echo(f"  {name}: {elapsed:.1f} s")

    # -- entry point
    def run(self) -> Report:
        self._check()
        self._load_reference()
        skip_checks = self._skip_foreign_key_triggers(True)
        try:
            self._step("users and organizations", self._organizations)
            self._step("enterprises and search documents", self._enterprises)
            self._step("supplier files and annual needs", self._supplier_files_and_needs)
            self._step("processes, invitations, bids, awards", self._procurement)
            self._step("activities and business contacts", self._activities)
        finally:
            if skip_checks:
                self._skip_foreign_key_triggers(False)
        self._step("sequences and statistics", self._finish)
        return self.report

    def _skip_foreign_key_triggers(self, skip: bool) -> bool:
        """On PostgreSQL, as a superuser, load without firing a foreign-key check per row.

        Every id is assigned here from rows already written, so the checks cannot fail; they
        would cost most of the load time (one deferred trigger per row and key). Unique and
        check constraints still apply. The tests verify every foreign key after a run.
        """
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SET session_replication_role = %s", ["replica" if skip else "origin"])
        return True

    def _check(self) -> None:
        for model in (Enterprise, Organization, ProcurementProcess, Award, Activity):
            if model.objects.exists():
                raise DatasetError(
                    f"The database already has {model._meta.verbose_name_plural}: "
                    "generate_dataset only fills an empty database (create one, migrate and "
                    "run load_reference_data first)."
                )
        if User.objects.filter(email__endswith=".dataset.example").exists():
            raise DatasetError("The database already has generated users.")

    def _load_reference(self) -> None:
        self.regions = list(Region.objects.order_by("code").values_list("code", "name"))
        municipalities = list(
            Municipality.objects.order_by("code").values_list(
                "code", "name", "region_id", "population"
            )
        )
        categories = list(
            Category.objects.order_by("position", "slug").values_list(
                "id", "slug", "parent_id", "name_fr", "name_en"
            )
        )
        self.sectors = {
            code: (name_fr, name_en, level)
            for code, name_fr, name_en, level in Sector.objects.values_list(
                "code", "name_fr", "name_en", "level"
            )
        }
        if not self.regions or not municipalities or not categories or not self.sectors:
            raise DatasetError("Reference data is missing: run load_reference_data first.")
        self.region_names = dict(self.regions)
        self.municipalities = municipalities
        self.municipality_by_code = {m[0]: m for m in municipalities}
        self.municipalities_by_region: dict[str, list] = {}
        for municipality in municipalities:
            self.municipalities_by_region.setdefault(municipality[2], []).append(municipality)
        weights = [max(1, m[3] or 1) for m in municipalities]
        self.municipality_cum = list(itertools.accumulate(weights))
        self.categories = {c[0]: c for c in categories}
        by_slug = {c[1]: c for c in categories}
        self.top_categories = [c for c in categories if c[2] is None]
        self.subcategories = [c for c in categories if c[2] is not None]
        self.children = {
            top[0]: [c[0] for c in categories if c[2] == top[0]] or [top[0]]
            for top in self.top_categories
        }
        # Trades only for top categories present in the reference data.
        self.trades = [(by_slug[slug][0], spec) for slug, spec in TRADES.items() if slug in by_slug]
        if not self.trades:
            raise DatasetError("The offering categories of the reference data are missing.")
        self.subsectors = sorted(code for code, s in self.sectors.items() if s[2] == "subsector")
        self.sector_parents = dict(Sector.objects.values_list("code", "parent_id"))

    def _municipality(self, index: int):
        """One in each region first, every municipality once, then weighted by population."""
        if index < len(self.regions):
            return self.rng.choice(self.municipalities_by_region[self.regions[index][0]])
        index -= len(self.regions)
        if index < len(self.municipalities):
            return self.municipalities[index]
        pick = self.rng.random() * self.municipality_cum[-1]
        return self.municipalities[bisect.bisect_left(self.municipality_cum, pick)]

    # -- organizations and users
    def _organizations(self) -> None:
        rng = self.rng
        password = make_password(DATASET_PASSWORD, salt="generateddataset")
        users = Table(
            User,
            ["id", "password", "email", "full_name", "is_coordinator", "date_joined"],
            self.now,
        )
        user_rows = [
            (1, password, "coordination@coordination.dataset.example", "Camille Coordination",
             True, self.now)
        ]  # fmt: skip
        organizations = Table(
            Organization,
            [
                "id", "name", "slug", "kind", "region_id", "municipality_id",
                "commitment_signed_on", "commitment_signatory", "is_active", "created_at",
            ],
            self.now,
        )  # fmt: skip
        memberships = Table(Membership, ["id", "user_id", "organization_id", "role"], self.now)
        kinds = [k for k, _, _ in ORGANIZATION_KINDS]
        kind_weights = [w for _, _, w in ORGANIZATION_KINDS]
        patterns = {k: p for k, p, _ in ORGANIZATION_KINDS}
        org_rows, member_rows = [], []
        self.organizations: list[tuple[int, str, int]] = []  # (id, region, officer user id)
        used_names = set()
        user_id = 1
        for index in range(self.n_organizations):
            org_id = index + 1
            kind = rng.choices(kinds, kind_weights)[0]
            municipality = self._municipality(rng.randrange(len(self.municipalities)))
            if index < len(self.regions):  # every region has an organization first
                region = self.regions[index][0]
                municipality = rng.choice(self.municipalities_by_region.get(region, [municipality]))
            region = municipality[2]
            name = patterns[kind].format(place=municipality[1])
            if name in used_names:
                name = f"{name} ({org_id})"
            used_names.add(name)
            signed = (
                self._day(self.start - timedelta(days=365), self.today)
                if rng.random() < 0.7
                else None
            )
            org_rows.append(
                (org_id, name, f"{slugify(name)[:200]}-{org_id}", kind, region, municipality[0],
                 signed, self._person() if signed else "", True, self.now)
            )  # fmt: skip
            officer_id = None
            for role, local in (
                (Membership.Role.OFFICER, "agent"),
                (Membership.Role.BUYER, "achat"),
                (Membership.Role.MANAGER, "gestion"),
            ):
                user_id += 1
                user_rows.append(
                    (user_id, password, f"{local}@org{org_id}.dataset.example", self._person(),
                     False, self.now)
                )  # fmt: skip
                member_rows.append((user_id - 1, user_id, org_id, role))
                if role == Membership.Role.OFFICER:
                    officer_id = user_id
            self.organizations.append((org_id, region, officer_id))
        self.next_user_id = user_id + 1
        self.password = password
        with transaction.atomic():
            self.report.add("users", users.write(user_rows))
            self.report.add("organizations", organizations.write(org_rows))
            self.report.add("memberships", memberships.write(member_rows))
        self.users_table = users

    # -- enterprises
    def _enterprises(self) -> None:
        from directory.search import FACET_KEY_COLUMNS, facet_keys

        rng = self.rng
        keyed = connection.vendor == "postgresql"
        enterprise_table = Table(
            Enterprise,
            [
                "id", "name", "other_names", "slug", "neq", "legal_form", "status",
                "status_reason", "status_decided_by_id", "status_decided_at", "submitted_at",
                "mission", "description", "primary_sector_id", "region_id", "municipality_id",
                "address", "postal_code", "website", "email", "phone", "employees",
                "people_in_integration", "volunteers", "certifications", "size_band",
                "is_published", "publication_consent_at", "created_at", "updated_at",
                "search_document", *(FACET_KEY_COLUMNS if keyed else ()),
            ],
            self.now,
        )  # fmt: skip
        offering_table = Table(
            Offering,
            ["id", "enterprise_id", "name", "description", "category_id", "keywords", "position"],
            self.now,
        )
        impact_table = Table(EnterpriseImpact, ["id", "enterprise_id", "impact"], self.now)
        sector_table = m2m_table(Enterprise.sectors, self.now, "id", "enterprise_id", "sector_id")
        served_table = m2m_table(
            Enterprise.regions_served, self.now, "id", "enterprise_id", "region_id"
        )
        contact_table = Table(
            ManagerContact, ["id", "enterprise_id", "name", "title", "email", "phone"], self.now
        )
        achievement_table = Table(
            Achievement,
            ["id", "enterprise_id", "title", "client", "year", "description"],
            self.now,
        )
        forms = [f for f, _ in LEGAL_FORMS]
        form_weights = [w for _, w in LEGAL_FORMS]
        impacts = list(Impact.values)
        statuses = [  # (status, weight): most enterprises are verified
            (Enterprise.Status.VERIFIED, 70),
            (Enterprise.Status.NOT_SUBMITTED, 22),
            (Enterprise.Status.PENDING, 5),
            (Enterprise.Status.REJECTED, 2),
            (Enterprise.Status.REVOKED, 1),
        ]
        status_values = [s for s, _ in statuses]
        status_weights = [w for _, w in statuses]
        sizes = list(Enterprise.SizeBand.values)
        self.enterprises: list[_Enterprise] = []
        from directory.search import _add_to_vocabulary

        ids = itertools.count(1)
        offering_ids, impact_ids, sector_ids, served_ids = (itertools.count(1) for _ in range(4))
        contact_ids, achievement_ids = itertools.count(1), itertools.count(1)
        n_subcategories = len(self.subcategories)
        n_subsectors = len(self.subsectors)
        neq_step = 7919  # prime, coprime with 10**8: i -> NEQ is one-to-one
        for start in range(0, self.n_enterprises, CHUNK):
            rows, offerings, impact_rows, sector_rows, served_rows = [], [], [], [], []
            documents: list[str] = []
            contacts, achievements = [], []
            for index in range(start, min(start + CHUNK, self.n_enterprises)):
                enterprise_id = next(ids)
                status = (
                    status_values[0]
                    if index < 40
                    else rng.choices(status_values, status_weights)[0]
                )
                eess_like = status != Enterprise.Status.NOT_SUBMITTED
                form = (
                    rng.choices(forms, form_weights)[0] if eess_like else Enterprise.LegalForm.OTHER
                )
                municipality = self._municipality(index)
                region = municipality[2]
                # Categories: every subcategory in turn first, then at random.
                if index < n_subcategories:
                    first = self.subcategories[index]
                else:
                    first = self.subcategories[rng.randrange(n_subcategories)]
                top_id = first[2]
                trade = next((spec for cid, spec in self.trades if cid == top_id), None)
                if trade is None:
                    trade = rng.choice(self.trades)[1]
                subsector, cores, trade_offerings = trade
                if subsector not in self.sectors:
                    subsector = self.subsectors[index % n_subsectors]
                if index < n_subsectors:  # every subsector appears as a primary sector
                    subsector = self.subsectors[index]
                core = rng.choice(cores)
                place = municipality[1] if rng.random() < 0.6 else rng.choice(QUALIFIERS)
                name = NAME_PATTERNS[form].format(core=core, place=place)
                slug = f"{slugify(name)[:200]}-{enterprise_id}"
                host = f"{slugify(name)[:30].strip('-')}{enterprise_id}.example"
                neq = f"11{(enterprise_id * neq_step + self.seed) % 10**8:08d}"
                created = self._day(self.start - timedelta(days=365), self.today)
                created_at = self._moment(created)
                verified = status == Enterprise.Status.VERIFIED
                published = verified and rng.random() < 0.92
                decided = status in {
                    Enterprise.Status.VERIFIED,
                    Enterprise.Status.REJECTED,
                    Enterprise.Status.REVOKED,
                }
                reason = (
                    "Les statuts ne prévoient pas la gestion démocratique."
                    if status == Enterprise.Status.REJECTED
                    else ""
                )
                employees = int(rng.paretovariate(1.3) * 3)
                size = sizes[min(4, bisect.bisect_right([5, 20, 100, 500], employees))]
                mission = (
                    f"{core} {place} offre {trade_offerings[0][0].lower()} dans la région "
                    f"{self.region_names[region]} et crée des emplois durables."
                )
                certifications = (
                    rng.choice(CERTIFICATIONS) if eess_like and rng.random() < 0.2 else ""
                )
                rows.append(
                    (
                        enterprise_id, name, "", slug, neq, form, status, reason,
                        1 if decided else None, created_at if decided else None,
                        created_at if status != Enterprise.Status.NOT_SUBMITTED else None,
                        mission if eess_like else "", "", subsector, region, municipality[0],
                        f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}",
                        f"{POSTAL_PREFIXES.get(region, 'H2X')} {rng.randrange(10)}"
                        f"{rng.choice(POSTAL_LETTERS)}{rng.randrange(10)}",
                        f"https://{host}", f"info@{host}",
                        f"514-555-{rng.randrange(10000):04d}", employees,
                        rng.randrange(0, 12) if eess_like and rng.random() < 0.3 else None,
                        rng.randrange(0, 40) if eess_like else None, certifications, size,
                        published, created_at if published else None, created_at, created_at,
                    )
                )  # fmt: skip
                # Offerings: EÉS 1-3, other suppliers 0-1.
                count = rng.randint(1, 3) if eess_like else rng.randint(0, 1)
                chosen_categories = [first[0]]
                offering_docs = []
                for position in range(count):
                    category_id = first[0] if position == 0 else rng.choice(self.children[top_id])
                    offering_name, keywords = rng.choice(trade_offerings)
                    offerings.append(
                        (next(offering_ids), enterprise_id, offering_name, "", category_id,
                         keywords, position)
                    )  # fmt: skip
                    chosen_categories.append(category_id)
                    offering_docs.append((offering_name, keywords, category_id))
                chosen_impacts = rng.sample(impacts, rng.randint(1, 3)) if eess_like else []
                for impact in chosen_impacts:
                    impact_rows.append((next(impact_ids), enterprise_id, impact))
                sector_codes = [subsector]
                if rng.random() < 0.2:
                    other = self.subsectors[rng.randrange(n_subsectors)]
                    if other != subsector:
                        sector_codes.append(other)
                for code in sector_codes:
                    sector_rows.append((next(sector_ids), enterprise_id, code))
                served = {region}
                if rng.random() < 0.3:
                    served.add(rng.choice(self.regions)[0])
                for code in sorted(served):
                    served_rows.append((next(served_ids), enterprise_id, code))
                titles = []
                if eess_like:
                    contacts.append(
                        (next(contact_ids), enterprise_id, self._person(), rng.choice(TITLES),
                         f"direction@{host}", f"514-555-{rng.randrange(10000):04d}")
                    )  # fmt: skip
                    if rng.random() < 0.3:
                        title = f"{trade_offerings[0][0]} pour un client public"
                        titles.append(title)
                        achievements.append(
                            (next(achievement_ids), enterprise_id, title,
                             f"Ville de {municipality[1]}", self.today.year - rng.randrange(4), "")
                        )  # fmt: skip
                self.enterprises.append(
                    _Enterprise(enterprise_id, verified, published, region, chosen_categories)
                )
                document = self._document(
                    name, neq, form, mission if eess_like else "", offering_docs, sector_codes,
                    chosen_impacts, municipality[1], region, certifications, titles,
                )  # fmt: skip
                rows[-1] += (document,)
                if keyed:  # the facet keys kept in the row (directory.search)
                    rows[-1] += facet_keys(
                        categories=[(c, self.categories[c][2]) for *_o, c in offering_docs],
                        sectors=[(code, self.sector_parents[code]) for code in sector_codes],
                        regions_served=served,
                        impacts=chosen_impacts,
                    )
                documents.append(document)
            with transaction.atomic():
                self.report.add("enterprises", enterprise_table.write(rows))
                _add_to_vocabulary(documents)
                self.report.add("offerings", offering_table.write(offerings))
                self.report.add("impacts", impact_table.write(impact_rows))
                sector_table.write(sector_rows)
                served_table.write(served_rows)
                self.report.add("manager contacts", contact_table.write(contacts))
                self.report.add("achievements", achievement_table.write(achievements))
        self.eess = [e for e in self.enterprises if e.eess]
        self.others = [e for e in self.enterprises if not e.eess]
        self.by_category: dict[int, list[_Enterprise]] = {}
        for enterprise in self.enterprises:
            for category_id in set(enterprise.categories):
                self.by_category.setdefault(category_id, []).append(enterprise)
        self._representatives()

    def _representatives(self) -> None:
        """A few EÉS have an approved representative with an account."""
        users = Table(
            User, ["id", "password", "email", "full_name", "is_coordinator", "date_joined"],
            self.now,
        )  # fmt: skip
        representatives = Table(
            Representative,
            ["id", "user_id", "enterprise_id", "is_approved", "requested_at", "approved_at",
             "approved_by_id"],
            self.now,
        )  # fmt: skip
        user_rows, rows = [], []
        for number, enterprise in enumerate(self.eess[:: max(1, len(self.eess) // 200 or 1)]):
            user_id = self.next_user_id + number
            user_rows.append(
                (user_id, self.password, f"representant{enterprise.id}@ees.dataset.example",
                 self._person(), False, self.now)
            )  # fmt: skip
            rows.append((number + 1, user_id, enterprise.id, True, self.now, self.now, 1))
        self.next_user_id += len(user_rows)
        with transaction.atomic():
            self.report.add("users", users.write(user_rows))
            self.report.add("representatives", representatives.write(rows))

    def _document(
        self, name, neq, form, mission, offerings, sectors, impacts, municipality, region,
        certifications, titles,
    ) -> str:  # fmt: skip
        """The enterprise's search document, built by directory.search itself from stand-ins
        for the related objects (written once with the row, never updated)."""
        from directory.search import build_search_document

        if not hasattr(self, "_categories"):
            self._categories = {
                cid: _Category(c[3], c[4], c[2], None) for cid, c in self.categories.items()
            }
            for category in self._categories.values():
                if category.parent_id:
                    category.parent = self._categories[category.parent_id]
            self._places: dict[str, _Fake] = {}
        places = self._places
        fake = _Fake(
            name=name, other_names="", neq=neq, mission=mission, description="",
            legal_form=form, certifications=certifications,
            offerings=_All(_Fake(name=o[0], keywords=o[1], description="",
                                 category=self._categories[o[2]]) for o in offerings),
            sectors=_All(_Fake(name_fr=self.sectors[c][0], name_en=self.sectors[c][1])
                         for c in sectors),
            impacts=_All(_Fake(impact=i) for i in impacts),
            achievements=_All(_Fake(title=t) for t in titles),
            municipality_id=1,
            municipality=places.setdefault(municipality, _Fake(name=municipality)),
            region_id=region,
            region=places.setdefault("region " + region, _Fake(name=self.region_names[region])),
        )  # fmt: skip
        return build_search_document(fake)

    # -- supplier files and annual needs
    def _supplier_files_and_needs(self) -> None:
        rng = self.rng
        registrations = Table(
            SupplierRegistration,
            ["id", "enterprise_id", "organization_id", "registered_on", "withdrawn_on",
             "created_at"],
            self.now,
        )  # fmt: skip
        needs = Table(
            AnnualNeed,
            ["id", "organization_id", "fiscal_year", "title", "description", "category_id",
             "estimated_value", "planned_quarter", "planned_method", "region_id",
             "is_published", "published_at", "created_by_id", "created_at", "updated_at"],
            self.now,
        )  # fmt: skip
        per_organization = max(
            3, min(len(self.enterprises), 2 * self.n_enterprises // max(1, self.n_organizations))
        )
        registration_ids, need_ids = itertools.count(1), itertools.count(1)
        methods = list(Method.values)
        registration_rows, need_rows = [], []
        self.registered: dict[int, list[int]] = {}
        for org_id, region, officer_id in self.organizations:
            # Local suppliers first: half from the organization's region when possible.
            count = min(len(self.enterprises), rng.randint(per_organization // 2, per_organization))
            chosen = {e.id for e in rng.sample(self.enterprises, count)}
            self.registered[org_id] = sorted(chosen)
            for enterprise_id in sorted(chosen):
                registered_on = self._day()
                withdrawn = self._day(registered_on, self.today) if rng.random() < 0.08 else None
                registration_rows.append(
                    (next(registration_ids), enterprise_id, org_id, registered_on, withdrawn,
                     self._moment(registered_on))
                )  # fmt: skip
            for year in range(self.start.year + 1, self.today.year + 1):
                for _ in range(rng.randint(3, 10)):
                    top = rng.choice(self.trades)
                    offering_name = rng.choice(top[1][2])[0]
                    category_id = rng.choice(self.children[top[0]])
                    published = rng.random() < 0.8
                    created = self._moment(date(year, 1, 1) - timedelta(days=rng.randrange(60)))
                    need_rows.append(
                        (next(need_ids), org_id, year,
                         f"{offering_name} — {rng.choice(PROCESS_QUALIFIERS)}",
                         "", category_id, Decimal(rng.randrange(5_000, 500_000)),
                         rng.randint(1, 4), rng.choice(methods), region, published,
                         created if published else None, officer_id, created, created)
                    )  # fmt: skip
            if len(registration_rows) >= CHUNK:
                with transaction.atomic():
                    self.report.add(
                        "supplier registrations", registrations.write(registration_rows)
                    )
                registration_rows = []
        with transaction.atomic():
            self.report.add("supplier registrations", registrations.write(registration_rows))
            self.report.add("annual needs", needs.write(need_rows))

    # -- procurement
    def _supplier(self, to_eess: bool) -> _Enterprise:
        """A supplier; a few win often (squared uniform favours the first of the list)."""
        pool = self.eess if (to_eess and self.eess) or not self.others else self.others
        return pool[int(len(pool) * self.rng.random() ** 2)]

    def _procurement(self) -> None:
        rng = self.rng
        processes = Table(
            ProcurementProcess,
            ["id", "organization_id", "reference", "title", "description", "category_id",
             "method", "estimated_value", "published_on", "closing_on", "status", "source",
             "created_by_id", "created_at", "updated_at"],
            self.now,
        )  # fmt: skip
        invitations = Table(
            Invitation,
            ["id", "process_id", "enterprise_id", "invited_on", "response", "responded_on",
             "created_by_id", "created_at"],
            self.now,
        )  # fmt: skip
        bids = Table(
            Bid,
            ["id", "process_id", "enterprise_id", "submitted_on", "amount", "status",
             "created_by_id", "created_at"],
            self.now,
        )  # fmt: skip
        awards = Table(
            Award,
            ["id", "process_id", "organization_id", "enterprise_id", "awarded_on", "amount",
             "status", "contract_number", "bid_id", "ocds_award_id", "created_by_id",
             "created_at", "updated_at"],
            self.now,
        )  # fmt: skip
        # Larger organizations buy more: weights 1/rank (Zipf-like), every one buys something.
        org_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.organizations)))
        )
        # Processes: one per award, plus 4 % without award yet (open, closed, cancelled, draft).
        n_processes = self.n_awards + max(1, self.n_awards // 25) if self.n_awards else 0
        process_ids, invitation_ids, bid_ids, award_ids = (itertools.count(1) for _ in range(4))
        span = (self.today - self.start).days
        methods = [Method.DIRECT, Method.INVITATION, Method.OPEN]
        method_weights = [55, 25, 20]
        amount_ranges = {
            Method.DIRECT: (500, 25_000),
            Method.INVITATION: (25_000, 120_000),
            Method.OPEN: (120_000, 2_000_000),
        }
        awards_left = self.n_awards
        produced = 0
        while produced < n_processes:
            process_rows, invitation_rows, bid_rows, award_rows = [], [], [], []
            for _ in range(min(CHUNK, n_processes - produced)):
                produced += 1
                process_id = next(process_ids)
                organization = (
                    self.organizations[
                        bisect.bisect_left(org_weights, rng.random() * org_weights[-1])
                    ]
                    if produced > len(self.organizations)
                    else self.organizations[produced - 1]
                )
                org_id, _region, officer_id = organization
                method = rng.choices(methods, method_weights)[0]
                with_award = awards_left > 0 and (
                    awards_left >= n_processes - produced + 1 or rng.random() < 0.96
                )
                if with_award:
                    awarded_on = self.start + timedelta(days=rng.randrange(span + 1))
                else:
                    awarded_on = self.today - timedelta(days=rng.randrange(60))
                low, high = amount_ranges[method]
                amount = Decimal(int(low * (high / low) ** rng.random())) + Decimal("0.50")
                top = rng.choice(self.trades)
                category_id = rng.choice(self.children[top[0]])
                title = f"{rng.choice(top[1][2])[0]} — {rng.choice(PROCESS_QUALIFIERS)}"
                if method == Method.DIRECT:
                    published_on = closing_on = None
                else:
                    published_on = awarded_on - timedelta(days=rng.randint(30, 75))
                    closing_on = published_on + timedelta(days=rng.randint(14, 28))
                if with_award:
                    status = ProcurementProcess.Status.AWARDED
                else:
                    status = rng.choice(["open", "closed", "cancelled", "draft"])
                    if method == Method.DIRECT and status in {"open", "closed"}:
                        status = "draft"
                created_at = self._moment(published_on or awarded_on)
                process_rows.append(
                    (process_id, org_id, f"P{awarded_on.year}-{process_id:07d}", title, "",
                     category_id, method, amount, published_on, closing_on, status, "manual",
                     officer_id, created_at, created_at)
                )  # fmt: skip
                winner = self._supplier(rng.random() < 0.35) if with_award else None
                winning_bid = None
                if method != Method.DIRECT and status != "draft":
                    bidders = [winner] if winner else []
                    wanted = min(rng.randint(2, 4), len(self.enterprises))
                    while len(bidders) < wanted:
                        candidate = self._supplier(rng.random() < 0.5)
                        if candidate not in bidders:
                            bidders.append(candidate)
                    submitted_on = closing_on
                    for bidder in bidders:
                        bid_id = next(bid_ids)
                        if bidder is winner:
                            winning_bid, bid_amount, bid_status = bid_id, amount, "compliant"
                        else:
                            bid_amount = (amount * Decimal(rng.randint(101, 140)) / 100).quantize(
                                Decimal("0.01")
                            )
                            bid_status = rng.choice(["received", "compliant", "non_compliant"])
                        bid_rows.append(
                            (bid_id, process_id, bidder.id, submitted_on, bid_amount, bid_status,
                             officer_id, self._moment(submitted_on))
                        )  # fmt: skip
                    if method == Method.INVITATION:
                        invited = list(bidders)
                        extra = self._supplier(True)
                        if extra not in invited:
                            invited.append(extra)
                        for guest in invited:
                            is_bidder = guest in bidders
                            invitation_rows.append(
                                (next(invitation_ids), process_id, guest.id, published_on,
                                 "interested" if is_bidder else rng.choice(["none", "declined"]),
                                 published_on + timedelta(days=3) if is_bidder else None,
                                 officer_id, self._moment(published_on))
                            )  # fmt: skip
                if with_award:
                    awards_left -= 1
                    award_id = next(award_ids)
                    award_status = rng.choices(["active", "cancelled", "pending"], [95, 3, 2])[0]
                    moment = self._moment(awarded_on)
                    award_rows.append(
                        (award_id, process_id, org_id, winner.id, awarded_on, amount,
                         award_status, f"C-{award_id:07d}", winning_bid, "", officer_id,
                         moment, moment)
                    )  # fmt: skip
            with transaction.atomic():
                self.report.add("processes", processes.write(process_rows))
                self.report.add("invitations", invitations.write(invitation_rows))
                self.report.add("bids", bids.write(bid_rows))
                self.report.add("awards", awards.write(award_rows))

    # -- activities and business contacts
    def _activities(self) -> None:
        rng = self.rng
        activities = Table(
            Activity,
            ["id", "kind", "date", "title", "description", "organizer", "participants",
             "created_by_id", "created_at"],
            self.now,
        )  # fmt: skip
        activity_organizations = m2m_table(
            Activity.organizations, self.now, "id", "activity_id", "organization_id"
        )
        activity_enterprises = m2m_table(
            Activity.enterprises, self.now, "id", "activity_id", "enterprise_id"
        )
        contacts = Table(
            BusinessContact,
            ["id", "organization_id", "enterprise_id", "date", "activity_id", "notes",
             "created_by_id", "created_at"],
            self.now,
        )  # fmt: skip
        kinds = list(Activity.Kind.values)
        n_activities = max(len(kinds), 3 * max(2, self.n_organizations // 2))
        org_ids, ent_ids, contact_ids = (itertools.count(1) for _ in range(3))
        activity_rows, org_rows, ent_rows, contact_rows = [], [], [], []
        eess = self.eess or self.enterprises
        for index in range(n_activities):
            activity_id = index + 1
            kind = kinds[index % len(kinds)] if index < len(kinds) else rng.choice(kinds)
            day = self._day()
            region = rng.choice(self.regions)
            present_orgs = rng.sample(
                self.organizations, min(len(self.organizations), rng.randint(2, 6))
            )
            present_ents = rng.sample(eess, min(len(eess), rng.randint(5, 20)))
            activity_rows.append(
                (activity_id, kind, day, ACTIVITY_TITLES[kind].format(place=region[1]), "",
                 "Pôle régional d'économie sociale", len(present_orgs) * 2 + len(present_ents),
                 1, self._moment(day))
            )  # fmt: skip
            for organization in present_orgs:
                org_rows.append((next(org_ids), activity_id, organization[0]))
                if kind == Activity.Kind.MATCHMAKING:
                    for enterprise in rng.sample(
                        present_ents, min(len(present_ents), rng.randint(1, 3))
                    ):
                        contact_rows.append(
                            (next(contact_ids), organization[0], enterprise.id, day, activity_id,
                             "Rencontre lors du maillage.", organization[2], self._moment(day))
                        )  # fmt: skip
            for enterprise in present_ents:
                ent_rows.append((next(ent_ids), activity_id, enterprise.id))
        # Contacts outside activities: about one for 40 awards.
        for _ in range(max(self.n_organizations, self.n_awards // 40)):
            organization = rng.choice(self.organizations)
            enterprise = self._supplier(rng.random() < 0.7)
            day = self._day()
            contact_rows.append(
                (next(contact_ids), organization[0], enterprise.id, day, None,
                 "Appel de présentation.", organization[2], self._moment(day))
            )  # fmt: skip
        with transaction.atomic():
            self.report.add("activities", activities.write(activity_rows))
            activity_organizations.write(org_rows)
            activity_enterprises.write(ent_rows)
            self.report.add("business contacts", contacts.write(contact_rows))

    def _finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), generated_models())
        # Loading as a replica skipped the triggers that keep the facet tally.
        rebuild_facet_tally()
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                # VACUUM sets the visibility map (index-only scans); ANALYZE the statistics.
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")


def generated_models() -> list[type[Model]]:
    """The models whose rows the generator writes, parents first."""
    return [
        User, Organization, Membership, Enterprise, Offering, EnterpriseImpact,
        ManagerContact, Achievement, Representative, SupplierRegistration, AnnualNeed,
        ProcurementProcess, Invitation, Bid, Award, Activity, BusinessContact,
        Enterprise.sectors.through, Enterprise.regions_served.through,
        Activity.organizations.through, Activity.enterprises.through,
    ]  # fmt: skip


class _All(list):
    """A list that answers `.all()` like a related manager."""

    def __init__(self, items: Iterator | Iterable = ()):
        super().__init__(items)

    def all(self):
        return self


class _Fake:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


@dataclass
class _Category:
    name_fr: str
    name_en: str
    parent_id: int | None
    parent: _Category | None


def generate(**options) -> Report:
    return Generator(**options).run()
