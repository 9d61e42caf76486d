"""Choices for demands."""

from django.db import models


class ActivityCategory(models.TextChoices):
    FOOD = "food", "Alimentaire"
    PERSONAL = "personal", "Équipement de la personne"
    HOME = "home", "Équipement de la maison"
    HORECA = "horeca", "Café-hôtel-restaurant"
    SERVICES = "services", "Services"
    HEALTH = "health", "Santé"
    CULTURE = "culture", "Culture et loisirs"
    CRAFT = "craft", "Artisanat"


class Stage(models.TextChoices):
    IDEA = "idea", "Idée"
    CREATING = "creating", "En cours de création"
    MOVING = "moving", "Entreprise existante qui déménage"
    NEW_SITE = "new_site", "Entreprise existante qui ouvre un autre site"


class DemandStatus(models.TextChoices):
    NEW = "new", "Nouvelle"
    QUALIFIED = "qualified", "Qualifiée"
    SEARCHING = "searching", "En recherche"
    PROPOSALS = "proposals", "Proposition(s)"
    VISIT = "visit", "Visite"
    PREMISES_FOUND = "premises_found", "Local trouvé"
    INSTALLED = "installed", "Installé"
    ABANDONED = "abandoned", "Abandonnée"
    OUT_OF_SCOPE = "out_of_scope", "Hors périmètre"
    DORMANT = "dormant", "En sommeil"


OPEN_STATUSES = [
    DemandStatus.NEW,
    DemandStatus.QUALIFIED,
    DemandStatus.SEARCHING,
    DemandStatus.PROPOSALS,
    DemandStatus.VISIT,
]


CLOSED_STATUSES = [
    DemandStatus.PREMISES_FOUND,
    DemandStatus.INSTALLED,
    DemandStatus.ABANDONED,
    DemandStatus.OUT_OF_SCOPE,
]


# What a porteur may reopen from their follow-up page, for REOPEN_DAYS after the closing
# ("hors périmètre" is the team's decision about the town, not the porteur's situation).
REOPENABLE_STATUSES = [
    DemandStatus.PREMISES_FOUND,
    DemandStatus.INSTALLED,
    DemandStatus.ABANDONED,
]
REOPEN_DAYS = 30


class LeaseKind(models.TextChoices):
    COMMERCIAL = "commercial", "Bail commercial 3-6-9"
    SHORT_TERM = "short_term", "Bail de courte durée (dérogatoire)"
    POP_UP = "pop_up", "Boutique éphémère (quelques semaines)"
    TRIAL_SHOP = "trial_shop", "Boutique à l’essai"


class Support(models.TextChoices):
    FUNDING = "funding", "Financement (prêt d’honneur, aides, banque)"
    TRAINING = "training", "Formation"
    CHAMBERS = "chambers", "Chambre de commerce (CCI) ou des métiers (CMA)"
    NETWORKS = "networks", "Réseau d’accompagnement (Initiative, BGE, France Active…)"
    TRIAL_SHOP = "trial_shop", "Boutique à l’essai"


class HeardFrom(models.TextChoices):
    TOWN = "town", "Site ou services de la mairie"
    SOCIAL = "social", "Réseaux sociaux"
    POSTER = "poster", "Affiche ou flyer"
    CHAMBER = "chamber", "CCI ou CMA"
    AGENCY = "agency", "Agence immobilière"
    NETWORK = "network", "Réseau d’accompagnement"
    WORD_OF_MOUTH = "word_of_mouth", "Bouche-à-oreille"
    PRESS = "press", "Presse"
    OTHER = "other", "Autre"


class Outcome(models.TextChoices):
    FOUND_HERE = "found_here", "Local trouvé grâce à la collectivité"
    FOUND_ELSEWHERE = "found_elsewhere", "Local trouvé par un autre moyen"
    GAVE_UP = "gave_up", "Projet abandonné ou reporté"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "Demande déposée"
    RESUBMITTED = "resubmitted", "Demande complétée par un nouvel envoi"
    UPDATED = "updated", "Besoins mis à jour par le porteur"
    STILL_SEARCHING = "still_searching", "Le porteur confirme chercher toujours"
    CLOSED = "closed", "Demande close par le porteur"
    REOPENED = "reopened", "Demande rouverte par le porteur"
    ERASED = "erased", "Données personnelles effacées"
    LINK_SENT = "link_sent", "Nouveau lien de suivi envoyé"
    STATUS_CHANGED = "status_changed", "Statut modifié"
    NOTE = "note", "Note"
    INTRODUCED = "introduced", "Mise en relation"
    ASSIGNED = "assigned", "Demande attribuée"
    ASKED_STILL_SEARCHING = "asked_still_searching", "Relance : cherchez-vous toujours ?"
    FELL_DORMANT = "fell_dormant", "Mise en sommeil faute de réponse"
    PARTNERS_ALERTED = "partners_alerted", "Partenaires alertés"
    PARTNER_ANSWERED = "partner_answered", "Réponse d’un partenaire"
    PROPOSED = "proposed", "Local proposé"
    INTERESTED = "interested", "Le porteur s’intéresse à un local"
    PROPOSAL_ANSWERED = "proposal_answered", "Réponse à une proposition"
    EMAIL_SENT = "email_sent", "Courriel envoyé au porteur"
    EMAIL_RECEIVED = "email_received", "Réponse du porteur par courriel"
    EXCHANGE = "exchange", "Échange"
    TASK_ADDED = "task_added", "Tâche créée"
    TASK_DONE = "task_done", "Tâche faite"
    MERGED = "merged", "Demandes fusionnées"
    BUSINESS_RECORDED = "business_recorded", "Entreprise installée enregistrée"


class DuplicateReason(models.TextChoices):
    """Why two demands look like the same project (demands.models.likely_duplicates_of)."""

    SAME_EMAIL = "email", "même courriel"
    SAME_PHONE = "phone", "même téléphone"
    CLOSE_NAME_AND_ACTIVITY = "close", "nom et activité proches"


# The pipeline: which status may follow which, when the town's staff move a demand.
TRANSITIONS = {
    DemandStatus.NEW: {
        DemandStatus.QUALIFIED,
        DemandStatus.OUT_OF_SCOPE,
        DemandStatus.ABANDONED,
    },
    DemandStatus.QUALIFIED: {
        DemandStatus.SEARCHING,
        DemandStatus.PROPOSALS,
        DemandStatus.VISIT,
        DemandStatus.OUT_OF_SCOPE,
        DemandStatus.ABANDONED,
        DemandStatus.DORMANT,
    },
    DemandStatus.SEARCHING: {
        DemandStatus.PROPOSALS,
        DemandStatus.VISIT,
        DemandStatus.PREMISES_FOUND,
        DemandStatus.ABANDONED,
        DemandStatus.DORMANT,
    },
    DemandStatus.PROPOSALS: {
        DemandStatus.SEARCHING,
        DemandStatus.VISIT,
        DemandStatus.PREMISES_FOUND,
        DemandStatus.ABANDONED,
        DemandStatus.DORMANT,
    },
    # A visit to arrange: the porteur is interested in a premises.
    DemandStatus.VISIT: {
        DemandStatus.SEARCHING,
        DemandStatus.PROPOSALS,
        DemandStatus.PREMISES_FOUND,
        DemandStatus.ABANDONED,
        DemandStatus.DORMANT,
    },
    DemandStatus.PREMISES_FOUND: {
        DemandStatus.INSTALLED,
        DemandStatus.SEARCHING,
        DemandStatus.ABANDONED,
    },
    DemandStatus.INSTALLED: set(),
    DemandStatus.ABANDONED: {DemandStatus.QUALIFIED},
    DemandStatus.OUT_OF_SCOPE: {DemandStatus.NEW},
    DemandStatus.DORMANT: {DemandStatus.SEARCHING, DemandStatus.ABANDONED},
}
