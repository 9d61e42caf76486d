"""Demo data for local runs: the four towns of the first experiment, their partners and logins.

`load_demo()` is idempotent: a town whose slug already exists is left alone (its content
is generated only when the town is created), partners are matched on their name and
accounts on their email. The content is deterministic for a given day: each town draws
from its own seeded `random.Random`, and dates are counted back from today at midnight.
"""

import functools
import math
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.accounts.enums import Role
from shared_apps.accounts.models import Membership, User
from shared_apps.billing.models import Plan, Subscription
from shared_apps.onboarding.demo import ensure_pending_claim
from shared_apps.partners.enums import PartnerKind
from shared_apps.partners.models import Partner, PartnerMember
from tenant_apps.applicant_alerts.demo import subscribe_some
from tenant_apps.calls.demo import finish_one as finish_one_call
from tenant_apps.calls.demo import open_one as open_one_call
from tenant_apps.correspondence.demo import write_some
from tenant_apps.demands.demo import resubmit_one
from tenant_apps.demands.enums import ActivityCategory, DemandStatus, EventKind, Stage
from tenant_apps.demands.models import Applicant, Demand, DemandEvent
from tenant_apps.exchanges.demo import log_some as log_some_exchanges
from tenant_apps.installations.demo import record_businesses
from tenant_apps.jury.demo import score_and_decide
from tenant_apps.network.enums import Answer, Frequency, MemberStatus
from tenant_apps.network.models import Alert, NetworkMember
from tenant_apps.notifications.demo import notify_some
from tenant_apps.premises.demo import publish_some
from tenant_apps.premises.enums import PremisesKind, PremisesState
from tenant_apps.premises.matching import recompute_all
from tenant_apps.premises.models import Area, Premises, PremisesStateChange
from tenant_apps.proposals.demo import propose_some
from tenant_apps.tasks.demo import plan_some as plan_some_tasks
from tenant_apps.townsite.models import TownSettings
from tenant_apps.trials.demo import run_one as run_one_trial
from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.models import Territory
from tenants.provisioning import current_snapshot, ensure_public_territory, provision_territory

DEMO_PASSWORD = "demo-boursoloco-2026"
ANCT_EMAIL = "anct@demo.boursoloco.fr"
HISTORY_DAYS = 548  # about 18 months

Cat = ActivityCategory
Kind = PremisesKind


# Data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSpec:
    name: str
    description: str
    # "{n}" marks where the number goes; otherwise the number comes first.
    streets: tuple[str, ...]
    is_priority: bool = False
    # Old buildings: fewer step-free entrances.
    historic: bool = False
    postcode: str = ""
    city: str = ""


@dataclass(frozen=True)
class ActivitySpec:
    name: str
    category: str
    premises_kind: str
    surface: tuple[int, int]
    descriptions: tuple[str, ...]


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str
    address: str
    postcode: str
    city: str
    phone: str


@dataclass(frozen=True)
class TownSpec:
    slug: str
    name: str
    insee: str
    siren: str
    status: str
    accent_color: str
    prefix: str
    seed: int
    postcode: str
    city: str
    landline: str
    # €/m²/month for rents, €/m² for sales.
    rent_per_m2: tuple[int, int]
    sale_per_m2: tuple[int, int]
    premises_count: int
    demands_count: int
    areas: tuple[AreaSpec, ...]
    local_activities: tuple[ActivitySpec, ...]
    local_first_names: tuple[str, ...]
    local_last_names: tuple[str, ...]
    partners: tuple[PartnerSpec, ...]
    staff: tuple[str, str]
    kind: str = TerritoryKind.COMMUNE

    @property
    def staff_email(self):
        return f"dev-eco@{self.slug}.demo.boursoloco.fr"

    @property
    def partner_email(self):
        return f"agence@{self.slug}.demo.boursoloco.fr"


STAGE_WEIGHTS = {Stage.IDEA: 25, Stage.CREATING: 35, Stage.MOVING: 20, Stage.NEW_SITE: 20}

# Status weights by the demand's age in days: old demands are mostly settled one way or
# the other, recent ones are still being worked on.
STATUS_WEIGHTS_BY_AGE = (
    (
        30,
        {
            DemandStatus.NEW: 45,
            DemandStatus.QUALIFIED: 30,
            DemandStatus.SEARCHING: 20,
            DemandStatus.OUT_OF_SCOPE: 5,
        },
    ),
    (
        120,
        {
            DemandStatus.NEW: 4,
            DemandStatus.QUALIFIED: 15,
            DemandStatus.SEARCHING: 35,
            DemandStatus.PROPOSALS: 18,
            DemandStatus.VISIT: 7,
            DemandStatus.PREMISES_FOUND: 10,
            DemandStatus.ABANDONED: 6,
            DemandStatus.OUT_OF_SCOPE: 5,
        },
    ),
    (
        270,
        {
            DemandStatus.SEARCHING: 18,
            DemandStatus.PROPOSALS: 13,
            DemandStatus.VISIT: 5,
            DemandStatus.PREMISES_FOUND: 14,
            DemandStatus.INSTALLED: 22,
            DemandStatus.ABANDONED: 13,
            DemandStatus.DORMANT: 12,
            DemandStatus.OUT_OF_SCOPE: 3,
        },
    ),
    (
        None,
        {
            DemandStatus.SEARCHING: 5,
            DemandStatus.PROPOSALS: 3,
            DemandStatus.VISIT: 1,
            DemandStatus.PREMISES_FOUND: 3,
            DemandStatus.INSTALLED: 34,
            DemandStatus.ABANDONED: 25,
            DemandStatus.DORMANT: 25,
            DemandStatus.OUT_OF_SCOPE: 4,
        },
    ),
)

# Days from the demand to its last status change, per status.
STATUS_DELAYS = {
    DemandStatus.QUALIFIED: (1, 15),
    DemandStatus.SEARCHING: (3, 45),
    DemandStatus.PROPOSALS: (10, 120),
    DemandStatus.VISIT: (15, 150),
    DemandStatus.PREMISES_FOUND: (30, 200),
    DemandStatus.INSTALLED: (60, 320),
    DemandStatus.ABANDONED: (20, 300),
    DemandStatus.OUT_OF_SCOPE: (1, 10),
    DemandStatus.DORMANT: (90, 400),
}

PREMISES_KIND_WEIGHTS = {
    Kind.SHOP: 50,
    Kind.RESTAURANT: 15,
    Kind.OFFICE: 14,
    Kind.WORKSHOP: 9,
    Kind.MIXED: 12,
}
PREMISES_SURFACES = {
    Kind.SHOP: (20, 150),
    Kind.RESTAURANT: (60, 250),
    Kind.OFFICE: (15, 120),
    Kind.WORKSHOP: (50, 400),
    Kind.MIXED: (50, 300),
}
RENT_FACTORS = {
    Kind.SHOP: 1.0,
    Kind.RESTAURANT: 1.1,
    Kind.OFFICE: 0.85,
    Kind.WORKSHOP: 0.55,
    Kind.MIXED: 0.8,
}
SHOP_WINDOW_ODDS = {
    Kind.SHOP: 0.92,
    Kind.RESTAURANT: 0.7,
    Kind.OFFICE: 0.3,
    Kind.WORKSHOP: 0.2,
    Kind.MIXED: 0.6,
}
# Partners who can be given premises to manage.
MANAGING_KINDS = {
    PartnerKind.ESTATE_AGENCY,
    PartnerKind.SOCIAL_LANDLORD,
    PartnerKind.PROPERTY_COMPANY,
    PartnerKind.PRIVATE_OWNER,
    PartnerKind.NOTARY,
}

# The tables below are laid out by hand, one entry per line or two: the formatter would
# stretch them over a thousand lines.
# fmt: off
COMMON_ACTIVITIES = (
    # Alimentaire
    ActivitySpec("Boulangerie artisanale", Cat.FOOD, Kind.MIXED, (60, 140), (
        "Pain au levain et viennoiseries maison, avec un fournil visible depuis la boutique.",
        "Ouvrier boulanger depuis douze ans, je m’installe à mon compte avec ma compagne.",
    )),
    ActivitySpec("Boucherie-charcuterie", Cat.FOOD, Kind.SHOP, (50, 120), (
        "Viandes d’éleveurs de la région et plats cuisinés maison à emporter.",
    )),
    ActivitySpec("Fromagerie", Cat.FOOD, Kind.SHOP, (30, 70), (
        "Fromages affinés sur place, plateaux pour les restaurants et les fêtes de famille.",
    )),
    ActivitySpec("Caviste", Cat.FOOD, Kind.SHOP, (30, 90), (
        "Cave de vignerons indépendants, avec dégustations le samedi et un coin épicerie.",
        "Cave à vins et bières artisanales, petite terrasse si le local le permet.",
    )),
    ActivitySpec("Épicerie fine", Cat.FOOD, Kind.SHOP, (30, 80), (
        "Produits du terroir, conserves artisanales et paniers garnis pour les entreprises.",
    )),
    ActivitySpec("Épicerie vrac", Cat.FOOD, Kind.SHOP, (40, 100), (
        "Épicerie zéro déchet : produits secs, hygiène et entretien en vrac.",
    )),
    ActivitySpec("Primeur", Cat.FOOD, Kind.SHOP, (40, 100), (
        "Fruits et légumes de saison en circuit court, livraison aux aînés du quartier.",
    )),
    ActivitySpec("Chocolatier", Cat.FOOD, Kind.SHOP, (30, 70), (
        "Chocolats et confiseries fabriqués sur place, laboratoire à l’arrière de la boutique.",
    )),
    ActivitySpec("Torréfacteur", Cat.FOOD, Kind.MIXED, (40, 100), (
        "Torréfaction de cafés de spécialité sur place, vente au détail et aux restaurateurs.",
    )),
    # Équipement de la personne
    ActivitySpec("Friperie", Cat.PERSONAL, Kind.SHOP, (30, 90), (
        "Vêtements de seconde main triés et retouchés, dépôt-vente pour les particuliers.",
        "Friperie solidaire portée par une association d’insertion.",
    )),
    ActivitySpec("Prêt-à-porter féminin", Cat.PERSONAL, Kind.SHOP, (40, 120), (
        "Boutique multimarque de créatrices françaises, du 36 au 48.",
    )),
    ActivitySpec("Chaussures", Cat.PERSONAL, Kind.SHOP, (50, 120), (
        "Chaussures homme, femme et enfant, avec un service de cordonnerie en dépôt.",
    )),
    ActivitySpec("Bijoux de créateurs", Cat.PERSONAL, Kind.SHOP, (20, 50), (
        "Boutique partagée entre quatre créatrices de bijoux et d’accessoires.",
    )),
    ActivitySpec("Maroquinerie", Cat.PERSONAL, Kind.SHOP, (30, 70), (
        "Sacs et petite maroquinerie en cuir, avec atelier de réparation.",
    )),
    ActivitySpec("Mode enfant", Cat.PERSONAL, Kind.SHOP, (40, 90), (
        "Vêtements et puériculture pour les 0-12 ans, neuf et seconde main.",
    )),
    # Équipement de la maison
    ActivitySpec("Fleuriste", Cat.HOME, Kind.SHOP, (30, 80), (
        "Fleurs de saison de producteurs français, compositions pour mariages et obsèques.",
    )),
    ActivitySpec("Décoration intérieure", Cat.HOME, Kind.SHOP, (60, 150), (
        "Mobilier chiné, luminaires et linge de maison, conseil en aménagement.",
    )),
    ActivitySpec("Brocante", Cat.HOME, Kind.SHOP, (80, 250), (
        "Brocante et débarras, il me faut de la surface et un accès pour décharger.",
    )),
    ActivitySpec("Quincaillerie", Cat.HOME, Kind.SHOP, (80, 200), (
        "Quincaillerie de proximité avec service de clés, location d’outillage et conseil.",
    )),
    ActivitySpec("Literie", Cat.HOME, Kind.SHOP, (120, 300), (
        "Magasin de literie et de canapés, entreprise existante qui quitte la zone commerciale.",
    )),
    # Café-hôtel-restaurant
    ActivitySpec("Bistrot de quartier", Cat.HORECA, Kind.RESTAURANT, (60, 150), (
        "Bistrot avec cuisine du marché le midi et petite restauration le soir.",
        "Reprise d’une licence IV, je cherche un local avec terrasse.",
    )),
    ActivitySpec("Salon de thé", Cat.HORECA, Kind.SHOP, (40, 100), (
        "Salon de thé et pâtisseries maison, sans cuisson lourde.",
    )),
    ActivitySpec("Restaurant traditionnel", Cat.HORECA, Kind.RESTAURANT, (100, 250), (
        "Restaurant de cuisine française, quarante couverts, extraction indispensable.",
    )),
    ActivitySpec("Pizzeria", Cat.HORECA, Kind.RESTAURANT, (60, 140), (
        "Pizzeria au feu de bois, sur place et à emporter.",
    )),
    ActivitySpec("Bar à vins", Cat.HORECA, Kind.RESTAURANT, (50, 120), (
        "Bar à vins et assiettes de produits locaux, ouvert du mercredi au samedi.",
    )),
    ActivitySpec("Crêperie", Cat.HORECA, Kind.RESTAURANT, (50, 110), (
        "Crêperie et galettes de blé noir, trente couverts.",
    )),
    ActivitySpec("Cantine végétarienne", Cat.HORECA, Kind.RESTAURANT, (50, 120), (
        "Cantine végétarienne du midi, plats à emporter et traiteur pour les entreprises.",
    )),
    # Services
    ActivitySpec("Barbier", Cat.SERVICES, Kind.SHOP, (25, 60), (
        "Barbier et coiffure homme, deux fauteuils pour commencer.",
    )),
    ActivitySpec("Salon de coiffure", Cat.SERVICES, Kind.SHOP, (40, 90), (
        "Salon de coiffure mixte, coloration végétale.",
    )),
    ActivitySpec("Institut de beauté", Cat.SERVICES, Kind.SHOP, (40, 90), (
        "Institut de beauté avec deux cabines de soins et une onglerie.",
    )),
    ActivitySpec("Cordonnerie", Cat.SERVICES, Kind.SHOP, (20, 50), (
        "Cordonnerie, clés minute et gravure.",
    )),
    ActivitySpec("Laverie automatique", Cat.SERVICES, Kind.SHOP, (40, 80), (
        "Laverie automatique avec pressing en dépôt, ouverte 7 jours sur 7.",
    )),
    ActivitySpec("Réparation de téléphones", Cat.SERVICES, Kind.SHOP, (15, 40), (
        "Réparation de téléphones et d’ordinateurs, vente de reconditionné.",
    )),
    ActivitySpec("Espace de coworking", Cat.SERVICES, Kind.OFFICE, (100, 300), (
        "Espace de coworking de vingt postes avec salle de réunion.",
    )),
    ActivitySpec("Agence de voyages", Cat.SERVICES, Kind.OFFICE, (30, 70), (
        "Agence de voyages indépendante, entreprise existante qui déménage.",
    )),
    ActivitySpec("Auto-école", Cat.SERVICES, Kind.OFFICE, (40, 90), (
        "Auto-école avec salle de code de quinze places.",
    )),
    # Santé
    ActivitySpec("Kinésithérapeute", Cat.HEALTH, Kind.OFFICE, (60, 150), (
        "Cabinet de kinésithérapie pour trois praticiens, accès de plain-pied indispensable.",
    )),
    ActivitySpec("Ostéopathe", Cat.HEALTH, Kind.OFFICE, (25, 60), (
        "Cabinet d’ostéopathie, une salle de soins et une petite salle d’attente.",
    )),
    ActivitySpec("Opticien", Cat.HEALTH, Kind.SHOP, (50, 110), (
        "Magasin d’optique indépendant avec salle d’examen de vue.",
    )),
    ActivitySpec("Cabinet infirmier", Cat.HEALTH, Kind.OFFICE, (30, 70), (
        "Cabinet de quatre infirmières libérales qui se regroupent.",
    )),
    ActivitySpec("Orthophoniste", Cat.HEALTH, Kind.OFFICE, (20, 50), (
        "Cabinet d’orthophonie, à partager éventuellement avec une psychomotricienne.",
    )),
    ActivitySpec("Audioprothésiste", Cat.HEALTH, Kind.SHOP, (30, 70), (
        "Centre d’audition avec cabine insonorisée, accès de plain-pied.",
    )),
    # Culture et loisirs
    ActivitySpec("Librairie-café", Cat.CULTURE, Kind.SHOP, (60, 160), (
        "Librairie généraliste avec un coin café et des rencontres d’auteurs.",
    )),
    ActivitySpec("Disquaire", Cat.CULTURE, Kind.SHOP, (30, 80), (
        "Vinyles neufs et d’occasion, platines reconditionnées.",
    )),
    ActivitySpec("Galerie d’art", Cat.CULTURE, Kind.SHOP, (50, 150), (
        "Galerie d’artistes de la région, expositions renouvelées tous les deux mois.",
    )),
    ActivitySpec("Bar à jeux de société", Cat.CULTURE, Kind.SHOP, (80, 180), (
        "Boutique et bar à jeux de société, soirées tournois le vendredi.",
    )),
    ActivitySpec("Studio de yoga", Cat.CULTURE, Kind.MIXED, (60, 150), (
        "Studio de yoga et de pilates, cours collectifs de douze personnes.",
    )),
    # Artisanat
    ActivitySpec("Couture et retouches", Cat.CRAFT, Kind.SHOP, (20, 50), (
        "Atelier de couture, retouches et ourlets minute.",
    )),
    ActivitySpec("Ébéniste", Cat.CRAFT, Kind.WORKSHOP, (100, 300), (
        "Atelier d’ébénisterie et de restauration de meubles, avec un petit espace de vente.",
    )),
    ActivitySpec("Encadreur", Cat.CRAFT, Kind.WORKSHOP, (40, 100), (
        "Encadrement sur mesure et vente d’affiches d’artistes.",
    )),
    ActivitySpec("Tapissier d’ameublement", Cat.CRAFT, Kind.WORKSHOP, (60, 150), (
        "Réfection de sièges et tentures, atelier ouvert au public.",
    )),
    ActivitySpec("Réparation de vélos", Cat.CRAFT, Kind.WORKSHOP, (40, 120), (
        "Atelier de réparation et vente de vélos d’occasion, location de vélos électriques.",
    )),
)

FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura", "Marie",
    "Pauline", "Mathilde", "Clara", "Anaïs", "Élodie", "Céline", "Nathalie", "Sandrine",
    "Sophie", "Aurélie", "Amandine", "Hélène", "Isabelle", "Margaux", "Lucie", "Yasmine",
    "Nadia", "Charlotte", "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Lucas", "Hugo",
    "Alexandre", "Romain", "Kévin", "Mathieu", "Sébastien", "Olivier", "Laurent",
    "Christophe", "Florian", "Guillaume", "Pierre", "Jean-Baptiste", "Karim", "Mehdi",
    "Yanis", "Rémi", "Baptiste", "Damien", "Vincent", "Benoît", "Stéphane", "Quentin",
)

LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Clément", "Gauthier",
    "Fontaine", "Chevalier", "Robin", "Benali", "Haddad", "Nguyen", "Da Silva", "Le Gall",
)

DRAGUIGNAN = TownSpec(
    slug="draguignan", name="Draguignan", insee="83050", siren="218300507",
    status=TerritoryStatus.OPEN, accent_color="#6a6af4", prefix="DRA", seed=83050,
    postcode="83300", city="Draguignan", landline="04 94",
    rent_per_m2=(9, 15), sale_per_m2=(1400, 2400), premises_count=42, demands_count=66,
    areas=(
        AreaSpec(
            "Centre ancien",
            "Les ruelles autour de la tour de l’Horloge, de la place du Marché à la place aux "
            "Herbes : la vacance y dépasse 20 %.",
            ("rue de l’Observance", "place du Marché", "place aux Herbes", "rue des Marchands",
             "rue Cisson", "rue de Trans", "place du Portaiguières"),
            is_priority=True, historic=True,
        ),
        AreaSpec(
            "Boulevard Clemenceau",
            "L’axe commerçant entre le centre ancien et les allées, dans le périmètre de "
            "l’opération de revitalisation du territoire.",
            ("boulevard Georges Clemenceau", "rue de la République", "boulevard Marx Dormoy"),
            is_priority=True,
        ),
        AreaSpec(
            "Allées d’Azémar",
            "Les allées ombragées du marché du mercredi et du samedi, cafés et terrasses.",
            ("allées d’Azémar", "avenue Carnot"),
        ),
        AreaSpec(
            "Boulevard de la Liberté",
            "Services, banques et professions libérales le long du boulevard.",
            ("boulevard de la Liberté", "boulevard Maréchal Foch", "rue Jean Jaurès"),
        ),
        AreaSpec(
            "Quartier de la gare",
            "Autour de l’ancienne gare et de la gare routière, locaux plus grands et moins chers.",
            ("avenue de la Gare", "boulevard Joseph Collomp", "avenue Pierre Brossolette"),
        ),
        AreaSpec(
            "Saint-Hermentaire",
            "Le quartier commerçant de l’ouest de la ville, ateliers et surfaces moyennes.",
            ("route de Lorgues", "avenue de Saint-Hermentaire", "chemin de la Clappe"),
        ),
    ),
    local_activities=(
        ActivitySpec("Huiles d’olive et produits de l’olivier", Cat.FOOD, Kind.SHOP, (30, 70), (
            "Huiles de moulins de la Dracénie, tapenades et savons, dégustation en boutique.",
        )),
        ActivitySpec("Cave des Côtes de Provence", Cat.FOOD, Kind.SHOP, (40, 100), (
            "Caveau collectif de six domaines des Côtes de Provence.",
        )),
        ActivitySpec("Santonnier", Cat.CRAFT, Kind.WORKSHOP, (40, 100), (
            "Atelier de santons de Provence avec démonstrations pour les écoles.",
        )),
        ActivitySpec("Restaurant provençal", Cat.HORECA, Kind.RESTAURANT, (80, 200), (
            "Cuisine provençale de saison, terrasse sur la place souhaitée.",
        )),
    ),
    local_first_names=("Marius", "Magali", "Fanny", "Mireille", "Lou"),
    local_last_names=(
        "Giraud", "Arnaud", "Fabre", "Martel", "Gros", "Pellegrin", "Audibert", "Bonifay",
        "Reynaud", "Castellan",
    ),
    partners=(
        PartnerSpec("Agence du Centre Dracénois", PartnerKind.ESTATE_AGENCY,
                    "14 boulevard Georges Clemenceau", "83300", "Draguignan", "04 94 68 21 40"),
        PartnerSpec("Dracénie Immobilier Commerces", PartnerKind.ESTATE_AGENCY,
                    "5 allées d’Azémar", "83300", "Draguignan", "04 94 50 12 87"),
        PartnerSpec("Foyer Dracénois Habitat", PartnerKind.SOCIAL_LANDLORD,
                    "22 avenue Pierre Brossolette", "83300", "Draguignan", "04 94 67 33 10"),
        PartnerSpec("Foncière Cœur de Var", PartnerKind.PROPERTY_COMPANY,
                    "3 boulevard de la Liberté", "83300", "Draguignan", "04 94 47 80 02"),
        PartnerSpec("Étude de Maître Audibert, notaire", PartnerKind.NOTARY,
                    "9 rue de la République", "83300", "Draguignan", "04 94 68 05 55"),
        PartnerSpec("Initiative Dracénie Verdon", PartnerKind.SUPPORT_NETWORK,
                    "1 avenue Carnot", "83300", "Draguignan", "04 94 50 71 20"),
        PartnerSpec("CCI du Var", PartnerKind.CHAMBER,
                    "236 boulevard Maréchal Leclerc", "83000", "Toulon", "04 94 22 80 00"),
    ),
    staff=("Sophie", "Giraud"),
)

BASTIA = TownSpec(
    slug="bastia", name="Bastia", insee="2B033", siren="212000335",
    status=TerritoryStatus.OPEN, accent_color="#c3992a", prefix="BAS", seed=20033,
    postcode="20200", city="Bastia", landline="04 95",
    rent_per_m2=(13, 22), sale_per_m2=(2200, 3600), premises_count=38, demands_count=58,
    areas=(
        AreaSpec(
            "Terra Vecchia",
            "Le vieux quartier autour du Vieux-Port et de l’église Saint-Jean-Baptiste, "
            "rez-de-chaussée étroits et souvent vacants.",
            ("rue Napoléon", "place du Marché", "rue des Terrasses", "rue de la Marine",
             "quai du Sud"),
            is_priority=True, historic=True,
        ),
        AreaSpec(
            "Place Saint-Nicolas",
            "La grande place face au port de commerce, ses cafés et ses terrasses.",
            ("boulevard Général de Gaulle", "rue du Nouveau Port", "avenue Maréchal Sebastiani"),
        ),
        AreaSpec(
            "Boulevard Paoli",
            "La principale rue commerçante du centre, de la place Saint-Nicolas au palais de "
            "justice.",
            ("boulevard Paoli", "rue César Campinchi", "rue Luce de Casabianca",
             "rue Fontaine Neuve"),
            is_priority=True,
        ),
        AreaSpec(
            "Citadelle",
            "Terra Nova, le quartier de la citadelle : artisans d’art et restaurants, "
            "fréquentation très saisonnière.",
            ("place Guasco", "place du Donjon", "rue de l’Évêché", "rue Notre-Dame"),
            historic=True,
        ),
        AreaSpec(
            "Lupino",
            "Quartier résidentiel du sud de la ville, commerces de proximité.",
            ("avenue de la Libération", "rue Jean Nicoli", "route de Lupino"),
            postcode="20600",
        ),
    ),
    local_activities=(
        ActivitySpec("Charcuterie corse", Cat.FOOD, Kind.SHOP, (30, 70), (
            "Charcuterie et fromages d’éleveurs de Castagniccia et du Cap Corse.",
        )),
        ActivitySpec("Épicerie de produits corses", Cat.FOOD, Kind.SHOP, (30, 80), (
            "Miel, confitures de figue, farine de châtaigne et vins de Patrimonio.",
        )),
        ActivitySpec("Biscuiterie artisanale", Cat.FOOD, Kind.MIXED, (50, 120), (
            "Canistrelli et biscuits secs fabriqués sur place, vente aux croisiéristes.",
        )),
        ActivitySpec("Coutellerie corse", Cat.CRAFT, Kind.WORKSHOP, (30, 80), (
            "Forge et coutellerie, atelier visible depuis la rue.",
        )),
        ActivitySpec("Location de scooters", Cat.SERVICES, Kind.SHOP, (40, 100), (
            "Location de scooters et de vélos électriques près du port.",
        )),
        ActivitySpec("Restaurant de poissons", Cat.HORECA, Kind.RESTAURANT, (80, 200), (
            "Poissons de la pêche locale, terrasse sur le port souhaitée.",
        )),
    ),
    local_first_names=(
        "Paul-Antoine", "Jean-Dominique", "Marie-Ange", "Ange-Mathieu", "Dumenica", "Orsu",
        "Letizia", "Lisandru",
    ),
    local_last_names=(
        "Santoni", "Casanova", "Luciani", "Filippi", "Mattei", "Pietri", "Albertini", "Orsini",
        "Leca", "Poli", "Giacomoni", "Cristofari", "Marchetti", "Simonpietri",
    ),
    partners=(
        PartnerSpec("Agence Terra Vecchia Immobilier", PartnerKind.ESTATE_AGENCY,
                    "6 rue Napoléon", "20200", "Bastia", "04 95 31 44 18"),
        PartnerSpec("Cabinet immobilier du Vieux-Port", PartnerKind.ESTATE_AGENCY,
                    "2 quai du Sud", "20200", "Bastia", "04 95 32 60 71"),
        PartnerSpec("Logement social bastiais", PartnerKind.SOCIAL_LANDLORD,
                    "12 avenue de la Libération", "20600", "Bastia", "04 95 30 12 00"),
        PartnerSpec("Étude Santoni et Luciani, notaires", PartnerKind.NOTARY,
                    "18 boulevard Paoli", "20200", "Bastia", "04 95 34 09 90"),
        PartnerSpec("Initiative Haute-Corse", PartnerKind.SUPPORT_NETWORK,
                    "4 rue César Campinchi", "20200", "Bastia", "04 95 33 25 64"),
        PartnerSpec("CCI de Haute-Corse", PartnerKind.CHAMBER,
                    "1 rue du Nouveau Port", "20200", "Bastia", "04 95 54 44 44"),
    ),
    staff=("Paul-Antoine", "Santoni"),
)

SAINT_LARY_SOULAN = TownSpec(
    slug="saint-lary-soulan", name="Saint-Lary-Soulan", insee="65388", siren="216503888",
    status=TerritoryStatus.PRE_OPENING, accent_color="#009081", prefix="SLS", seed=65388,
    postcode="65170", city="Saint-Lary-Soulan", landline="05 62",
    rent_per_m2=(14, 24), sale_per_m2=(2600, 4000), premises_count=27, demands_count=42,
    areas=(
        AreaSpec(
            "Village",
            "La rue principale et la place de la mairie, commerces ouverts à l’année.",
            ("rue Principale", "rue Vincent Mir", "place de la Mairie", "avenue des Thermes",
             "rue de la Fontaine"),
            is_priority=True, historic=True,
        ),
        AreaSpec(
            "Pla d’Adet",
            "La station historique à 1 700 m, galeries commerciales au pied des pistes, "
            "beaucoup de rideaux baissés hors saison.",
            ("route du Pla d’Adet", "galerie commerciale du Pla d’Adet, local {n}"),
            is_priority=True,
        ),
        AreaSpec(
            "Espiaube",
            "Le front de neige d’Espiaube, location de matériel et restauration.",
            ("route d’Espiaube", "galerie d’Espiaube, local {n}"),
        ),
        AreaSpec(
            "Soulan",
            "Le village de Soulan sur le versant ensoleillé, gîtes et artisans.",
            ("route de Soulan", "chemin de l’Église"),
            historic=True,
        ),
    ),
    local_activities=(
        ActivitySpec("Location de skis", Cat.CULTURE, Kind.SHOP, (60, 160), (
            "Location et entretien de skis et de snowboards, atelier de fartage.",
            "Magasin de location en hiver, vélos électriques l’été.",
        )),
        ActivitySpec("Sport et montagne", Cat.PERSONAL, Kind.SHOP, (60, 150), (
            "Vêtements techniques, randonnée et alpinisme, ouvert à l’année.",
        )),
        ActivitySpec("Bureau des guides", Cat.CULTURE, Kind.OFFICE, (20, 50), (
            "Bureau des guides et accompagnateurs : canyoning, randonnée, raquettes.",
        )),
        ActivitySpec("Fromagerie des Pyrénées", Cat.FOOD, Kind.SHOP, (30, 70), (
            "Fromages de brebis et de vache des estives de la vallée d’Aure.",
        )),
        ActivitySpec("Restaurant pyrénéen", Cat.HORECA, Kind.RESTAURANT, (80, 200), (
            "Garbure, porc noir de Bigorre et agneau des Pyrénées, ouvert à l’année.",
        )),
        ActivitySpec("Bar d’après-ski", Cat.HORECA, Kind.RESTAURANT, (60, 150), (
            "Bar et tapas au pied des pistes, concerts le week-end.",
        )),
    ),
    local_first_names=("Bastien", "Maylis", "Mathéo", "Lise", "Jérôme"),
    local_last_names=(
        "Abadie", "Fourcade", "Baylac", "Dupouy", "Carrère", "Soulé", "Lacoste", "Castéran",
        "Vergez", "Cazaux", "Laffont", "Duffau",
    ),
    partners=(
        PartnerSpec("Aure Immobilier Montagne", PartnerKind.ESTATE_AGENCY,
                    "24 rue Principale", "65170", "Saint-Lary-Soulan", "05 62 39 41 27"),
        PartnerSpec("Agence du Pla d’Adet", PartnerKind.ESTATE_AGENCY,
                    "galerie commerciale du Pla d’Adet, local 4", "65170", "Saint-Lary-Soulan",
                    "05 62 98 44 60"),
        PartnerSpec("Foncière Pyrénées Commerces", PartnerKind.PROPERTY_COMPANY,
                    "7 rue Vincent Mir", "65170", "Saint-Lary-Soulan", "05 62 40 07 15"),
        PartnerSpec("SCI Fourcade Patrimoine", PartnerKind.PRIVATE_OWNER,
                    "3 route de Soulan", "65170", "Saint-Lary-Soulan", "05 62 39 58 03"),
        PartnerSpec("Initiative Hautes-Pyrénées", PartnerKind.SUPPORT_NETWORK,
                    "8 place du Foirail", "65000", "Tarbes", "05 62 51 88 30"),
        PartnerSpec("CCI Tarbes et Hautes-Pyrénées", PartnerKind.CHAMBER,
                    "23 rue Clément Ader", "65000", "Tarbes", "05 62 51 88 88"),
    ),
    staff=("Maylis", "Fourcade"),
)

VALLAURIS_GOLFE_JUAN = TownSpec(
    slug="vallauris-golfe-juan", name="Vallauris-Golfe-Juan", insee="06155", siren="210601555",
    status=TerritoryStatus.OPEN, accent_color="#ce614a", prefix="VAL", seed=6155,
    postcode="06220", city="Vallauris", landline="04 93",
    rent_per_m2=(14, 24), sale_per_m2=(2800, 4200), premises_count=36, demands_count=54,
    areas=(
        AreaSpec(
            "Centre historique",
            "Le vieux Vallauris autour de la place Paul Isnard et de la place de la Libération.",
            ("place Paul Isnard", "place de la Libération", "rue Hoche", "rue du Clos",
             "avenue du Tapis Vert"),
            is_priority=True, historic=True,
        ),
        AreaSpec(
            "Avenue Georges Clemenceau",
            "L’avenue des potiers, boutiques de céramique et galeries, dont beaucoup ont fermé.",
            ("avenue Georges Clemenceau",),
            is_priority=True,
        ),
        AreaSpec(
            "Quartier des potiers",
            "Les anciennes fabriques autour de la rue Sicard : grands volumes, fours, ateliers.",
            ("rue Sicard", "rue Suzanne et Georges Ramié", "avenue de la Grande Bégude"),
        ),
        AreaSpec(
            "Golfe-Juan port",
            "Le port Camille Rayon et le vieux port, commerces de plage et restaurants.",
            ("avenue des Frères Roustan", "quai Saint-Pierre", "avenue de la Gare"),
            city="Golfe-Juan",
        ),
        AreaSpec(
            "Golfe-Juan centre",
            "Le long de l’avenue de la Liberté, commerces de proximité ouverts à l’année.",
            ("avenue de la Liberté", "boulevard des Horizons", "avenue de l’Ancienne Gare"),
            city="Golfe-Juan",
        ),
    ),
    local_activities=(
        ActivitySpec("Atelier de céramique", Cat.CRAFT, Kind.WORKSHOP, (50, 150), (
            "Atelier de céramique avec four et boutique, cours de tournage le week-end.",
            "Céramiste formée à l’école de Vallauris, je cherche un atelier avec vitrine.",
        )),
        ActivitySpec("Potier-tourneur", Cat.CRAFT, Kind.WORKSHOP, (40, 120), (
            "Poterie utilitaire en grès, four électrique de 200 litres à installer.",
        )),
        ActivitySpec("Galerie de céramique contemporaine", Cat.CULTURE, Kind.SHOP, (50, 140), (
            "Galerie de céramistes contemporains, en lien avec la biennale de Vallauris.",
        )),
        ActivitySpec("Atelier de cuisson raku", Cat.CRAFT, Kind.WORKSHOP, (60, 200), (
            "Stages de raku : il faut une cour ou un espace extérieur pour le four à gaz.",
        )),
        ActivitySpec("Location de bateaux", Cat.CULTURE, Kind.SHOP, (20, 60), (
            "Location de bateaux sans permis et de paddles au port de Golfe-Juan.",
        )),
        ActivitySpec("Glacier", Cat.HORECA, Kind.SHOP, (30, 70), (
            "Glaces et sorbets artisanaux fabriqués sur place, ouvert d’avril à octobre.",
        )),
    ),
    local_first_names=("Lorenzo", "Chiara", "Jean-Marc", "Flavie", "Enzo"),
    local_last_names=(
        "Bernardi", "Ricci", "Giordano", "Lanza", "Ferrero", "Baudoin", "Raybaud", "Isnard",
        "Gastaud", "Musso", "Pastorelli", "Cottalorda",
    ),
    partners=(
        PartnerSpec("Agence Golfe-Juan Riviera", PartnerKind.ESTATE_AGENCY,
                    "15 avenue des Frères Roustan", "06220", "Vallauris", "04 93 63 72 18"),
        PartnerSpec("Agence de l’avenue Clemenceau", PartnerKind.ESTATE_AGENCY,
                    "41 avenue Georges Clemenceau", "06220", "Vallauris", "04 93 64 10 52"),
        PartnerSpec("Azur Habitat Social", PartnerKind.SOCIAL_LANDLORD,
                    "2 avenue de la Grande Bégude", "06220", "Vallauris", "04 93 64 88 00"),
        PartnerSpec("SCI des Anciennes Poteries", PartnerKind.PRIVATE_OWNER,
                    "10 rue Sicard", "06220", "Vallauris", "04 93 64 25 91"),
        PartnerSpec("Foncière Riviera Commerces", PartnerKind.PROPERTY_COMPANY,
                    "6 avenue de la Liberté", "06220", "Vallauris", "04 93 63 40 77"),
        PartnerSpec("Initiative Antipolis Côte d’Azur", PartnerKind.SUPPORT_NETWORK,
                    "5 place Paul Isnard", "06220", "Vallauris", "04 93 64 61 30"),
        PartnerSpec("CCI Nice Côte d’Azur", PartnerKind.CHAMBER,
                    "20 boulevard Carabacel", "06000", "Nice", "04 93 13 73 00"),
    ),
    staff=("Thomas", "Bernardi"),
)
# fmt: on

TOWNS = (DRAGUIGNAN, BASTIA, SAINT_LARY_SOULAN, VALLAURIS_GOLFE_JUAN)

ANCT_ACCOUNT = {"email": ANCT_EMAIL, "first_name": "Camille", "last_name": "Martin"}


# Loading ------------------------------------------------------------------------------


@dataclass
class DemoReport:
    towns_created: list[str] = field(default_factory=list)
    partners_created: int = 0
    accounts_created: int = 0
    seconds: float = 0.0


def load_demo(stdout=None):
    """Create what is missing of the demo; returns a DemoReport of what was created."""
    started = time.perf_counter()
    report = DemoReport()
    now = today_midnight()
    # Hashed at most once: every demo account has the same password and a hash takes most
    # of a second.
    password_hash = functools.cache(functools.partial(make_password, DEMO_PASSWORD))
    ensure_public_territory()
    report.partners_created = ensure_partners()
    _, created = ensure_account(**ANCT_ACCOUNT, password_hash=password_hash, is_anct_staff=True)
    report.accounts_created += created
    # Built (if needed) outside the transactions below: building it needs autocommit.
    current_snapshot()
    for spec in TOWNS:
        territory = Territory.objects.filter(slug=spec.slug).first()
        if territory is None:
            town_started = time.perf_counter()
            with transaction.atomic():
                territory = provision_territory(
                    name=spec.name,
                    slug=spec.slug,
                    kind=spec.kind,
                    official_code=spec.insee,
                    siren=spec.siren,
                    status=spec.status,
                    accent_color=spec.accent_color,
                    reference_prefix=spec.prefix,
                )
                # The four towns of the experiment are in the national programmes.
                Subscription.objects.create(
                    territory=territory, plan=Plan.objects.get(code="programme")
                )
                with schema_context(territory.schema_name):
                    counts = fill_town(spec, now)
            report.towns_created.append(spec.name)
            if stdout:
                stdout.write(
                    f"{spec.name} créée en {(time.perf_counter() - town_started) * 1000:.0f} ms "
                    f": {counts['areas']} quartiers, {counts['premises']} locaux, "
                    f"{counts['demands']} demandes."
                )
        first_name, last_name = spec.staff
        user, created = ensure_account(
            spec.staff_email,
            first_name=first_name,
            last_name=last_name,
            password_hash=password_hash,
        )
        report.accounts_created += created
        Membership.objects.get_or_create(
            user=user, territory=territory, defaults={"role": Role.ADMIN}
        )
        if spec.name in report.towns_created:
            # The economic developer's own exchanges and tasks need their account.
            with schema_context(territory.schema_name):
                log_some_exchanges(spec.seed, user)
                plan_some_tasks(user)
        if spec.slug == "draguignan" and spec.name in report.towns_created:
            # The demo's main town has a call for its trial shop open.
            with schema_context(territory.schema_name):
                open_one_call(user)
                # And a finished one: decisions recorded, the selected porteur's trial on.
                finished = finish_one_call(user)
                if finished:  # its jury's scores, as they led to the decisions
                    score_and_decide(finished, user)
                run_one_trial(user)
        if spec.slug == "draguignan":  # the bell of the demo's main town rings
            with schema_context(territory.schema_name):
                notify_some(user)
        # An agency's agent, to see the partner portal: the town's first estate agency.
        agency = Partner.objects.filter(
            name__in=[p.name for p in spec.partners], kind=PartnerKind.ESTATE_AGENCY
        ).first()
        if agency:
            user, created = ensure_account(
                spec.partner_email,
                first_name="Agent",
                last_name="Immobilier",
                password_hash=password_hash,
            )
            report.accounts_created += created
            PartnerMember.objects.get_or_create(user=user, defaults={"partner": agency})
    # A claim waiting for the ANCT in the console.
    ensure_pending_claim(functools.partial(ensure_account, password_hash=password_hash))
    report.seconds = time.perf_counter() - started
    if stdout:
        stdout.write(
            f"{len(report.towns_created)} collectivité(s), {report.partners_created} "
            f"partenaire(s) et {report.accounts_created} compte(s) créés "
            f"en {report.seconds:.1f} s."
        )
    return report


def demo_summary():
    """The towns' addresses and the demo logins, as printed after loading the demo."""
    public = ensure_public_territory()
    towns = {t.slug: t for t in Territory.objects.filter(slug__in=[s.slug for s in TOWNS])}
    lines = ["", "Démo BoursOloco", ""]
    for spec in TOWNS:
        territory = towns.get(spec.slug)
        if territory is None:
            continue
        lines += [
            f"  {territory.name} ({territory.get_status_display().lower()})",
            f"    site public : {territory.url()}",
            f"    gestion     : {territory.url('/gestion/')}",
        ]
    lines += [
        "",
        f"  Console nationale : {public.url('/console/')}",
        f"    (Lorgues attend la vérification de sa demande d’ouverture : "
        f"{public.url('/console/demandes-d-ouverture/')})",
        "",
        f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})",
        f"  {ANCT_EMAIL:<48} agent ANCT, console nationale",
        "    (une double authentification TOTP est à configurer à la première connexion)",
    ]
    for spec in TOWNS:
        if spec.slug in towns:
            lines.append(f"  {spec.staff_email:<48} administrateur de {towns[spec.slug].name}")
            portal = towns[spec.slug].url("/partenaires/")
            lines.append(f"  {spec.partner_email:<48} agence partenaire, {portal}")
    return "\n".join(lines)


def today_midnight():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def ensure_account(email, *, first_name, last_name, password_hash, **flags):
    """(user, created): the account with a verified primary email, created if missing.

    `password_hash()` returns the hashed demo password.
    """
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email, None, first_name=first_name, last_name=last_name, **flags
        )
        user.password = password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def ensure_partners():
    """Create the directory's missing partners (matched on name); returns how many."""
    specs = [partner for town in TOWNS for partner in town.partners]
    existing = set(
        Partner.objects.filter(name__in=[s.name for s in specs]).values_list("name", flat=True)
    )
    missing = [
        Partner(
            name=spec.name,
            kind=spec.kind,
            siret=fictitious_siret(spec.name),
            address=spec.address,
            postcode=spec.postcode,
            city=spec.city,
            email=f"{ascii_slug(spec.name)}@example.fr",
            phone=spec.phone,
            coverage_departments=[department_of(spec.postcode)],
        )
        for spec in specs
        if spec.name not in existing
    ]
    Partner.objects.bulk_create(missing)
    return len(missing)


def fill_town(spec, now):
    """Areas, premises, applicants and demands of one town; run inside its schema."""
    rng = random.Random(spec.seed)
    areas = Area.objects.bulk_create(
        Area(name=a.name, description=a.description, is_priority=a.is_priority) for a in spec.areas
    )
    area_specs = dict(zip(areas, spec.areas, strict=True))
    partners = list(
        Partner.objects.filter(
            name__in=[p.name for p in spec.partners], kind__in=MANAGING_KINDS
        ).order_by("name")
    )
    premises = Premises.objects.bulk_create(build_premises(spec, rng, now, area_specs, partners))
    place_premises_and_record_states(spec, premises, now)
    publish_some(spec.seed)
    demands, demand_areas = build_demands(spec, rng, now, areas)
    applicants = Applicant.objects.bulk_create(applicant for applicant, _ in demands)
    for applicant, (_, demand) in zip(applicants, demands, strict=True):
        demand.applicant = applicant
    demand_rows = Demand.objects.bulk_create(demand for _, demand in demands)
    DemandEvent.objects.bulk_create(
        DemandEvent(demand=demand, kind=EventKind.SUBMITTED, created_at=demand.created_at)
        for demand in demand_rows
    )
    DemandEvent.objects.bulk_create(
        event for demand in demand_rows for event in dormancy_history(demand)
    )
    Through = Demand.areas.through
    Through.objects.bulk_create(
        Through(demand_id=demand.pk, area_id=area.pk)
        for demand, chosen in zip(demand_rows, demand_areas, strict=True)
        for area in chosen
    )
    Demand.objects.refresh_priority()
    recompute_all()
    fill_network(spec, rng, now)
    subscribe_some(spec.seed)
    propose_some(spec.seed)
    # Draguignan, the first town of the experiment, also has its first years' businesses.
    record_businesses(spec.seed, prefix=spec.prefix, earlier=12 if spec.slug == "draguignan" else 0)
    resubmit_one(spec.seed)
    write_some(spec.seed)
    return {"areas": len(areas), "premises": len(premises), "demands": len(demand_rows)}


def dormancy_history(demand):
    """What the daily round writes when it puts a demand to sleep (demands.tasks): the
    question to the porteur, then, without an answer, the sleep."""
    if demand.status != DemandStatus.DORMANT:
        return []
    town_settings = TownSettings.load()
    slept_at = demand.status_changed_at
    asked_at = max(
        slept_at - timedelta(days=town_settings.dormant_after_days),
        demand.created_at + (slept_at - demand.created_at) / 2,
    )
    system = {"demand": demand, "actor": "système"}
    return [
        DemandEvent(kind=EventKind.ASKED_STILL_SEARCHING, created_at=asked_at, **system),
        DemandEvent(
            kind=EventKind.STATUS_CHANGED,
            from_status=DemandStatus.SEARCHING,
            to_status=DemandStatus.DORMANT,
            created_at=slept_at,
            **system,
        ),
        DemandEvent(
            kind=EventKind.FELL_DORMANT,
            visible_to_applicant=False,
            created_at=slept_at,
            **system,
        ),
    ]


def department_of(postcode):
    if postcode.startswith("20"):  # Corsica: 2A south of Ajaccio's 201xx, 2B north
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


def fill_network(spec, rng, now):
    """The town's partners in its network, a join request from a neighbour, and their
    alerts and answers on the demands the team has qualified."""
    partners = list(
        Partner.objects.filter(name__in=[p.name for p in spec.partners]).order_by("name")
    )
    members = NetworkMember.objects.bulk_create(
        NetworkMember(
            partner=partner,
            status=MemberStatus.ACTIVE,
            created_at=now - timedelta(days=rng.randint(60, 400)),
            frequency=Frequency.DAILY if index % 3 == 2 else Frequency.IMMEDIATE,
        )
        for index, partner in enumerate(partners)
    )
    neighbour = Partner.objects.exclude(pk__in=[p.pk for p in partners]).order_by("name").first()
    if neighbour:
        NetworkMember.objects.create(partner=neighbour, status=MemberStatus.REQUESTED)
    alerted = Demand.objects.exclude(status__in=[DemandStatus.NEW, DemandStatus.OUT_OF_SCOPE])
    alerts, events = [], []
    for demand in alerted.prefetch_related("areas"):
        # Alerted a few days after the demand, answered hours or days later, never after
        # today: the console's "last activity" and the timelines read these dates.
        sent_at = min(
            demand.created_at + timedelta(days=rng.randint(1, 6)),
            demand.created_at + (now - demand.created_at) / 2,
        )
        for member in NetworkMember.objects.matching(demand).select_related("partner"):
            answer = weighted(rng, {Answer.MAYBE: 25, Answer.NOTHING: 40, "": 35})
            answered_at = (
                min(sent_at + timedelta(hours=rng.randint(1, 96)), sent_at + (now - sent_at) / 2)
                if answer
                else None
            )
            alerts.append(
                Alert(
                    partner=member.partner,
                    demand=demand,
                    frequency=member.frequency,
                    created_at=sent_at,
                    sent_at=sent_at,
                    answer=answer,
                    answered_at=answered_at,
                )
            )
            if answer:
                events.append(
                    DemandEvent(
                        demand=demand,
                        kind=EventKind.PARTNER_ANSWERED,
                        message=Answer(answer).label,
                        actor=member.partner.name[:100],
                        visible_to_applicant=False,
                        created_at=answered_at,
                    )
                )
    Alert.objects.bulk_create(alerts)
    DemandEvent.objects.bulk_create(events)
    return len(members)


def build_premises(spec, rng, now, area_specs, partners):
    areas = list(area_specs)
    weights = [3 if area.is_priority else 1 for area in areas]
    used_addresses = set()
    result = []
    while len(result) < spec.premises_count:
        area = rng.choices(areas, weights)[0]
        area_spec = area_specs[area]
        address = street_address(rng, spec, area_spec)
        if address in used_addresses:
            continue
        used_addresses.add(address)
        kind = weighted(rng, PREMISES_KIND_WEIGHTS)
        low, high = PREMISES_SURFACES[kind]
        surface = clamp(round_to(low + (high - low) * rng.random() ** 1.6, 5), 15, 400)
        for_sale = rng.random() < 0.12
        if for_sale:
            rent = None
            sale_price = round_to(surface * rng.uniform(*spec.sale_per_m2), 1000)
            state = weighted(
                rng, {PremisesState.VACANT: 60, PremisesState.RESERVED: 20, PremisesState.SOLD: 20}
            )
        else:
            rate = rng.uniform(*spec.rent_per_m2) * RENT_FACTORS[kind]
            if area.is_priority:
                rate *= 0.9  # the vacant centre is cheaper than the busy streets
            rent = clamp(round_to(surface * rate, 10), 300, 4500)
            sale_price = None
            state = weighted(
                rng,
                {
                    PremisesState.VACANT: 62,
                    PremisesState.WORKS: 12,
                    PremisesState.RESERVED: 10,
                    PremisesState.LET: 16,
                },
            )
        settled = state in (PremisesState.LET, PremisesState.SOLD)
        vacant_since = None
        if not settled:
            # A long tail: some shops have been empty for years.
            vacant_since = (now - timedelta(days=int(20 + 1100 * rng.random() ** 2))).date()
        available_from = None
        if state == PremisesState.WORKS:
            available_from = (now + timedelta(days=rng.randint(30, 180))).date()
        elif state == PremisesState.VACANT and rng.random() < 0.25:
            available_from = (now + timedelta(days=rng.randint(7, 90))).date()
        oldest = now - timedelta(days=HISTORY_DAYS)
        if vacant_since:
            oldest = max(oldest, datetime.combine(vacant_since, dt_time(), tzinfo=now.tzinfo))
        created_at = random_moment(rng, oldest, now)
        manager = None
        if partners and rng.random() < 0.5:
            candidates = [
                p for p in partners if not for_sale or p.kind != PartnerKind.SOCIAL_LANDLORD
            ]
            manager = rng.choice(candidates)
        step_free_odds = 0.35 if area_spec.historic else 0.7
        result.append(
            Premises(
                address=address,
                area=area,
                kind=kind,
                surface=surface,
                monthly_rent=rent,
                sale_price=sale_price,
                state=state,
                managing_partner=manager,
                has_shop_window=rng.random() < SHOP_WINDOW_ODDS[kind],
                step_free_access=rng.random() < step_free_odds,
                available_from=available_from,
                vacant_since=vacant_since,
                created_at=created_at,
            )
        )
    return result


# Town centres (the town hall, roughly): the demo premises are placed around them, each
# area a few hundred metres away in its own direction.
TOWN_CENTRES = {
    "draguignan": (43.5366, 6.4646),
    "bastia": (42.6973, 9.4509),
    "saint-lary-soulan": (42.8173, 0.3222),
    "vallauris-golfe-juan": (43.5781, 7.0546),
}
METRES_PER_DEGREE = 111_320


def place_premises_and_record_states(spec, premises, now):
    """Coordinates near the town's centre, a lease kind, and a state history that ends in
    each premises' state (how it got there, and how long it stayed empty)."""
    rng = random.Random(spec.seed + 6)  # its own draws: the demands stay as they were
    centre_lat, centre_lon = TOWN_CENTRES.get(spec.slug, (46.6, 2.4))
    area_ids = sorted({p.area_id for p in premises if p.area_id})
    offsets = {}
    for index, area_id in enumerate(area_ids):
        angle = 2 * math.pi * index / max(len(area_ids), 1)
        distance = 0 if index == 0 else 350
        offsets[area_id] = (distance * math.sin(angle), distance * math.cos(angle))
    changes = []
    for item in premises:
        north, east = offsets.get(item.area_id, (0, 0))
        north += rng.uniform(-130, 130)
        east += rng.uniform(-130, 130)
        item.latitude = round(centre_lat + north / METRES_PER_DEGREE, 6)
        item.longitude = round(
            centre_lon + east / (METRES_PER_DEGREE * math.cos(math.radians(centre_lat))), 6
        )
        item.location_source = "manual"
        if item.monthly_rent:
            item.lease_kind = rng.choice(["commercial", "commercial", "commercial", "short_term"])
        changes.append(
            PremisesStateChange(
                premises=item, to_state=PremisesState.VACANT, changed_at=item.created_at
            )
        )
        if item.state == PremisesState.VACANT:
            item.state_changed_at = item.created_at
            continue
        moment = random_moment(rng, item.created_at, now)
        empty_since = item.vacant_since or timezone.localdate(item.created_at)
        settled = item.state in (PremisesState.LET, PremisesState.SOLD)
        changes.append(
            PremisesStateChange(
                premises=item,
                from_state=PremisesState.VACANT,
                to_state=item.state,
                changed_at=moment,
                actor="Démonstration",
                vacancy_days=(
                    max((timezone.localdate(moment) - empty_since).days, 0) if settled else None
                ),
            )
        )
        item.state_changed_at = moment
    Premises.objects.bulk_update(
        premises, ["latitude", "longitude", "location_source", "lease_kind", "state_changed_at"]
    )
    PremisesStateChange.objects.bulk_create(changes)


def build_demands(spec, rng, now, areas):
    """[(applicant, demand)] ordered by date with their references, and each one's areas."""
    activities = COMMON_ACTIVITIES
    first_names = FIRST_NAMES + spec.local_first_names * 2
    last_names = LAST_NAMES + spec.local_last_names * 2
    area_weights = [3 if area.is_priority else 1 for area in areas]
    # More demands lately (the service got known), sent during the day, before today.
    created = sorted(
        (now - timedelta(days=1 + int((HISTORY_DAYS - 1) * rng.random() ** 1.4))).replace(
            hour=rng.randint(7, 22), minute=rng.randint(0, 59), second=rng.randint(0, 59)
        )
        for _ in range(spec.demands_count)
    )
    emails = set()
    demands, demand_areas = [], []
    sequence = {}
    for created_at in created:
        activity = (
            rng.choice(spec.local_activities) if rng.random() < 0.3 else rng.choice(activities)
        )
        first_name, last_name = rng.choice(first_names), rng.choice(last_names)
        email = person_email(first_name, last_name, rng, emails)
        applicant = Applicant(
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=mobile_phone(rng) if rng.random() < 0.93 else "",
            created_at=created_at,
        )
        low, high = activity.surface
        surface_min = round_to(rng.uniform(low, (low + high) / 2), 5)
        surface_max = max(surface_min, round_to(surface_min * rng.uniform(1.2, 2.0), 5))
        budget = None
        if rng.random() < 0.9:
            rate = rng.uniform(*spec.rent_per_m2) * rng.uniform(0.7, 1.05)
            budget = clamp(round_to((surface_min + surface_max) / 2 * rate, 50), 300, 4500)
        age_days = (now - created_at).days
        status = pick_status(rng, age_days)
        changed_at = status_changed_at(rng, status, created_at, now)
        # The team answered within hours or days (those still "nouvelle" not yet).
        first_contact_at = None
        if status != DemandStatus.NEW:
            first_contact_at = min(created_at + timedelta(hours=rng.uniform(3, 240)), changed_at)
        sequence[created_at.year] = sequence.get(created_at.year, 0) + 1
        demand = Demand(
            reference=f"{spec.prefix}-{created_at.year}-{sequence[created_at.year]:05d}",
            activity=activity.name,
            activity_category=activity.category,
            description=rng.choice(activity.descriptions),
            stage=weighted(rng, STAGE_WEIGHTS),
            premises_kind=activity.premises_kind,
            surface_min=surface_min,
            surface_max=surface_max,
            monthly_budget=budget,
            status=status,
            consent_to_share=rng.random() < 0.88,
            created_at=created_at,
            status_changed_at=changed_at,
            first_contact_at=first_contact_at,
            contact_search=applicant.search_text,
        )
        demands.append((applicant, demand))
        count = 1 if rng.random() < 0.6 else 2
        chosen = []
        while len(chosen) < count:
            area = rng.choices(areas, area_weights)[0]
            if area not in chosen:
                chosen.append(area)
        demand_areas.append(chosen)
    return demands, demand_areas


def pick_status(rng, age_days):
    for max_age, weights in STATUS_WEIGHTS_BY_AGE:
        if max_age is None or age_days < max_age:
            return weighted(rng, weights)
    raise AssertionError("unreachable")


def status_changed_at(rng, status, created_at, now):
    if status == DemandStatus.NEW:
        return created_at
    low, high = STATUS_DELAYS[status]
    changed = created_at + timedelta(days=rng.randint(low, high), hours=rng.uniform(0, 8))
    if changed >= now:
        changed = created_at + (now - created_at) * rng.uniform(0.4, 0.95)
    return changed


# Helpers ------------------------------------------------------------------------------


def street_address(rng, town, area):
    street = rng.choice(area.streets)
    number = rng.randint(1, 60)
    if "{n}" in street:
        line = street.format(n=number % 20 + 1)
    else:
        suffix = " bis" if rng.random() < 0.08 else ""
        line = f"{number}{suffix} {street}"
    return f"{line}, {area.postcode or town.postcode} {area.city or town.city}"


def person_email(first_name, last_name, rng, taken):
    local = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
    domain = "example.fr" if rng.random() < 0.75 else "example.com"
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    taken.add(email)
    return email


def mobile_phone(rng):
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    return f"0{rng.choice('67')} {pairs}"


def ascii_slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words)


def luhn_check_digit(digits):
    """The digit that makes `digits + it` pass the Luhn checksum (SIREN and SIRET use it)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # doubled once the check digit is appended
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str(-total % 10)


def fictitious_siret(name):
    """A stable 14-digit SIRET passing the Luhn checksum, its SIREN passing it too."""
    rng = random.Random(f"siret:{name}")
    siren = str(rng.randint(3, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    siren += luhn_check_digit(siren)
    nic = "0001"
    return siren + nic + luhn_check_digit(siren + nic)


def weighted(rng, weights):
    return rng.choices(list(weights), list(weights.values()))[0]


def random_moment(rng, start, end):
    return start + (end - start) * rng.random()


def round_to(value, step):
    return max(step, int(round(value / step)) * step)


def clamp(value, low, high):
    return max(low, min(high, value))
