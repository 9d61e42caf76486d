"""Choices of the calls for applications."""

from django.db import models


class CallKind(models.TextChoices):
    TRIAL = "trial", "Boutique à l’essai"
    POP_UP = "pop_up", "Boutique éphémère"
    SHARED = "shared", "Boutique partagée"


class CallStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publié"
    CLOSED = "closed", "Clos"
    DECIDED = "decided", "Décidé"


class Decision(models.TextChoices):
    """Where an application stands: under review until the jury's decision is recorded."""

    PENDING = "pending", "En cours d’examen"
    SELECTED = "selected", "Retenue"
    WAITING = "waiting", "Liste d’attente"
    DECLINED = "declined", "Non retenue"


# Seen on the town's site once published (closed and decided calls stay readable there).
PUBLIC_STATUSES = [CallStatus.PUBLISHED, CallStatus.CLOSED, CallStatus.DECIDED]

MAX_TRIAL_MONTHS = 36
MAX_CRITERIA = 8
MAX_PLAN_BYTES = 10 * 1024 * 1024
