"""User accounts (public schema), their memberships in towns, and the one-time links used."""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone

from shared_apps.accounts.enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse électronique", unique=True)
    is_anct_staff = models.BooleanField(
        "agent ANCT",
        default=False,
        help_text="Accès à la console nationale, avec double authentification obligatoire.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self):
        return self.get_full_name() or self.email

    def membership_in(self, territory):
        """The active membership of this user in the town, or None."""
        if not self.is_authenticated or territory is None:
            return None
        return self.memberships.active().filter(territory=territory).first()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one town. Staff of a town see only that town."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    territory = models.ForeignKey(
        "tenants.Territory", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=16, choices=Role.choices, default=Role.AGENT)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    ROLE_CHOICES = Role.choices

    class Meta:
        verbose_name = "membre d’une équipe"
        verbose_name_plural = "membres d’équipes"
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="one_membership_per_town")
        ]

    def __str__(self):
        return f"{self.user} — {self.territory} ({self.get_role_display()})"

    @property
    def can_edit(self):
        return self.role in (Role.ADMIN, Role.AGENT)

    @property
    def is_admin(self):
        return self.role == Role.ADMIN


class UsedLinkQuerySet(models.QuerySet):
    def older_than(self, seconds):
        return self.filter(used_at__lt=timezone.now() - timedelta(seconds=seconds))


class UsedLink(models.Model):
    """The nonce of a one-time sign-in link once used (accounts.one_time). Single use
    rests on this unique column, not on Redis: a link must work, once, during an outage."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now)

    objects = UsedLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien à usage unique utilisé"
        verbose_name_plural = "liens à usage unique utilisés"

    def __str__(self):
        return f"{self.nonce} ({self.used_at:%d/%m/%Y %H:%M})"
