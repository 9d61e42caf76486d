"""A town's own texts and the options of its demand form (town schema)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tenant_apps.townsite.enums import AlertTrigger


class TownSettings(models.Model):
    """One row per town (pk=1): what the town says and which optional questions it asks."""

    intro_text = models.TextField(
        "texte d’accueil",
        blank=True,
        help_text="Affiché sur la page d’accueil, sous le titre.",
    )
    form_intro = models.TextField(
        "introduction du formulaire", blank=True, help_text="Affichée en tête du formulaire."
    )
    contact_email = models.EmailField(
        "adresse de contact",
        blank=True,
        help_text="Donnée aux porteurs de projet et dans la page données personnelles.",
    )
    embed_domains = models.TextField(
        "sites autorisés à afficher le formulaire",
        blank=True,
        help_text="Une adresse par ligne, par exemple https://www.ville.fr : seuls ces sites "
        "pourront intégrer le formulaire dans leurs pages.",
    )
    ask_siret = models.BooleanField("demander le SIRET (facultatif)", default=True)
    ask_opening_date = models.BooleanField("demander la date d’ouverture souhaitée", default=True)
    ask_purchase_budget = models.BooleanField("demander un budget d’achat", default=True)
    ask_lease = models.BooleanField("demander le type de bail", default=True)
    ask_areas = models.BooleanField("demander les quartiers souhaités", default=True)
    ask_other_needs = models.BooleanField("demander les autres besoins", default=True)
    ask_support = models.BooleanField("demander l’accompagnement souhaité", default=True)
    ask_heard_from = models.BooleanField(
        "demander comment le porteur a connu le service", default=True
    )
    notify_team_on_new_demand = models.BooleanField(
        "prévenir l’équipe à chaque nouvelle demande", default=True
    )
    ask_still_searching_after_days = models.PositiveSmallIntegerField(
        "demander au porteur s’il cherche toujours après (jours sans nouvelles)",
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    dormant_after_days = models.PositiveSmallIntegerField(
        "mettre en sommeil sans réponse après (jours)",
        default=15,
        validators=[MinValueValidator(3), MaxValueValidator(180)],
    )
    remind_team_after_days = models.PositiveSmallIntegerField(
        "rappeler à l’équipe une nouvelle demande non traitée après (jours)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    retention_months = models.PositiveSmallIntegerField(
        "durée de conservation des demandes (mois)",
        default=36,
        validators=[MinValueValidator(6), MaxValueValidator(120)],
    )
    alert_partners_on = models.CharField(
        "alerter les partenaires",
        max_length=16,
        choices=AlertTrigger.choices,
        default=AlertTrigger.QUALIFIED,
    )
    applicant_alert_min_score = models.PositiveSmallIntegerField(
        "alertes aux porteurs : correspondance minimale (sur 100)",
        default=60,
        validators=[MinValueValidator(40), MaxValueValidator(100)],
        help_text="Un porteur qui l’a demandé reçoit un courriel (un par jour au plus) quand "
        "un local publié dans le catalogue correspond à sa demande avec au moins ce score : "
        "surface 30, loyer 30, quartier 20, bail 10, vitrine 5, accès 5.",
    )
    publish_open_data = models.BooleanField(
        "publier les chiffres agrégés en données ouvertes (Licence Ouverte)",
        default=False,
        help_text="Des chiffres anonymes, sans aucune donnée personnelle, à une adresse publique.",
    )

    class Meta:
        verbose_name = "réglages de la collectivité"
        verbose_name_plural = "réglages de la collectivité"

    def __str__(self):
        return "Réglages"

    def embed_origins(self):
        return [line.strip() for line in self.embed_domains.splitlines() if line.strip()]

    @classmethod
    def load(cls):
        """The town's one row of settings; until an admin saves it, the defaults, unsaved:
        reading the settings never writes (a GET changes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def for_request(cls, request):
        """The town's settings, read once per request whoever asks."""
        if not hasattr(request, "town_settings"):
            request.town_settings = cls.load()
        return request.town_settings
