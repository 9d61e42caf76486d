"""The tenant: a town (commune or EPCI) with its own schema and subdomain."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import connection, models
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

from tenants.enums import TerritoryKind, TerritoryStatus, TerritoryVerification
from tenants.validators import SLUG_VALIDATORS

siren_validator = RegexValidator(r"^\d{9}$", "Le SIREN compte exactement 9 chiffres.")
color_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "La couleur s’écrit en hexadécimal, par exemple #000091."
)


def media_storage():
    """The plain media storage: a town's logo lives under its own folder whichever
    schema is active when it is read (the tenant storage would move it)."""
    return FileSystemStorage()


def logo_path(territory, filename):
    return f"{territory.schema_name}/identity/{filename}"


class TerritoryQuerySet(models.QuerySet):
    def towns(self):
        return self.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)

    def reachable(self):
        return self.towns().exclude(status__in=[TerritoryStatus.SUSPENDED, TerritoryStatus.CLOSED])

    def with_data(self):
        """Towns whose schema still exists (not closed past their grace period)."""
        return self.towns().exclude(
            status=TerritoryStatus.CLOSED, deletion_scheduled_on__isnull=True
        )

    def verified(self):
        return self.exclude(verified_at=None)

    def current(self):
        """The town whose schema is in use: the request's, or a job's (schema_context)."""
        tenant = getattr(connection, "tenant", None)
        if isinstance(tenant, self.model):
            return tenant
        return self.get(schema_name=connection.schema_name)


class Territory(TenantMixin):
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("sous-domaine", max_length=42, unique=True, validators=SLUG_VALIDATORS)
    kind = models.CharField("type", max_length=16, choices=TerritoryKind.choices)
    official_code = models.CharField(
        "code officiel",
        max_length=9,
        blank=True,
        help_text="Code INSEE de la commune, ou SIREN de l’EPCI.",
    )
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[siren_validator], unique=True, null=True
    )
    status = models.CharField(
        "statut",
        max_length=16,
        choices=TerritoryStatus.choices,
        default=TerritoryStatus.PRE_OPENING,
    )
    accent_color = models.CharField(
        "couleur d’accent", max_length=7, default="#000091", validators=[color_validator]
    )
    logo = models.ImageField("logo", upload_to=logo_path, storage=media_storage, blank=True)
    reference_prefix = models.CharField(
        "préfixe des références",
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", "De 2 à 4 lettres majuscules.")],
        help_text="Début des références des demandes, par exemple DRA pour DRA-2026-00042.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    deletion_scheduled_on = models.DateField("suppression prévue le", null=True, blank=True)
    # Until a space is verified as run by the town (shared_apps.onboarding.Claim), its
    # public pages say "bientôt disponible" and collect nothing.
    verified_at = models.DateTimeField("vérifiée le", null=True, blank=True)
    verification = models.CharField(
        "vérification", max_length=16, choices=TerritoryVerification.choices, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vérifiée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Schemas are created from the migrated template by tenants.provisioning, never by
    # replaying migrations on save().
    auto_create_schema = False
    auto_drop_schema = True

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "collectivité"
        verbose_name_plural = "collectivités"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_public(self):
        return self.schema_name == settings.PUBLIC_SCHEMA_NAME

    @property
    def is_suspended(self):
        """Suspended or closed: the town's pages are replaced by a notice."""
        return self.status in (TerritoryStatus.SUSPENDED, TerritoryStatus.CLOSED)

    @property
    def data_deleted(self):
        """Closed past its grace period but kept for its invoices: no schema any more."""
        return self.status == TerritoryStatus.CLOSED and self.deletion_scheduled_on is None

    @property
    def is_verified(self):
        return self.verified_at is not None

    @property
    def is_pre_opening(self):
        return self.status == TerritoryStatus.PRE_OPENING

    @property
    def host(self):
        if self.is_public:
            return settings.BASE_DOMAIN
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    def url(self, path="/"):
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        return f"{settings.SITE_SCHEME}://{self.host}{port}{path}"

    def communes(self):
        """The communes this town is made of (the referential's rows)."""
        from shared_apps.referential.models import Commune

        if self.kind == TerritoryKind.EPCI:
            return list(Commune.objects.filter(epci_id=self.official_code))
        return list(Commune.objects.filter(insee_code=self.official_code))

    def save(self, *args, **kwargs):
        if not self.reference_prefix and self.slug:
            self.reference_prefix = default_reference_prefix(self.slug)
        super().save(*args, **kwargs)

    def set_status(self, status, *, grace_days=0):
        """Change the town's status; closing it schedules its deletion after `grace_days`."""
        self.status = status
        self.deletion_scheduled_on = (
            timezone.localdate() + timedelta(days=grace_days)
            if status == TerritoryStatus.CLOSED
            else None
        )
        self.save(update_fields=["status", "deletion_scheduled_on"])

    def verify(self, verification, *, by=None):
        """Record that the town itself runs this space: its public pages open."""
        self.verified_at = timezone.now()
        self.verification = verification
        self.verified_by = by
        self.save(update_fields=["verified_at", "verification", "verified_by"])

    def suspend(self):
        self.set_status(TerritoryStatus.SUSPENDED)

    def open(self):
        self.set_status(TerritoryStatus.OPEN)


def default_reference_prefix(slug):
    """Initials of a three-word slug (saint-lary-soulan → SLS), else its first letters."""
    words = [word for word in slug.split("-") if word.isalpha()]
    if len(words) >= 3:
        return "".join(word[0] for word in words[:3]).upper()
    letters = "".join(char for char in slug if char.isalpha())
    return letters[:3].upper() or "BOL"


class Domain(DomainMixin):
    class Meta:
        verbose_name = "domaine"
        verbose_name_plural = "domaines"

    def __str__(self):
        return self.domain


class SchemaSnapshot(models.Model):
    """The DDL of a fully migrated town schema, keyed by the migration state it matches."""

    key = models.CharField(max_length=64, unique=True)
    ddl = models.TextField()
    migrations = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "gabarit de schéma"
        verbose_name_plural = "gabarits de schéma"

    def __str__(self):
        return self.key[:12]
