"""API tokens (public schema): a town's, or the national site's (the public territory).

Only the SHA-256 of a token is stored; the token itself is shown once, at creation. A
token answers only on its own territory's host, with its scopes, until it expires or is
revoked; its last use and its count of calls are kept for the admins, and its creation
and revocation are logged (ApiTokenEvent)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from shared_apps.api.enums import NATIONAL_SCOPES, TOWN_SCOPES, Scope, TokenAction

# A token reads "bol_" followed by 43 URL-safe characters (256 random bits).
TOKEN_PREFIX = "bol_"


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def of(self, territory):
        return self.filter(territory=territory)

    def live(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    territory = models.ForeignKey(
        "tenants.Territory", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=100)
    # The first characters of the token, to recognise it in the list; never enough to use it.
    hint = models.CharField("début du jeton", max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = ArrayField(
        models.CharField(max_length=32, choices=Scope.choices), verbose_name="droits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    calls = models.PositiveBigIntegerField("appels", default=0)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def is_live(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def scope_labels(self):
        return [Scope(scope).label for scope in self.scopes if scope in Scope.values]

    @classmethod
    @transaction.atomic
    def issue(cls, territory, *, name, scopes, days, by):
        """A new token; returns (token, key): the key is shown once and never stored."""
        allowed = NATIONAL_SCOPES if territory.is_public else TOWN_SCOPES
        if not scopes or not set(scopes) <= set(allowed):
            raise ValueError(f"scopes {scopes} do not fit {territory}")
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            territory=territory,
            name=name,
            hint=key[: len(TOKEN_PREFIX) + 4],
            key_hash=digest(key),
            scopes=sorted(scopes),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        token.events.create(
            action=TokenAction.CREATED,
            actor=by,
            details=f"{name} ; droits : {', '.join(token.scopes)} ; expire le "
            f"{timezone.localtime(token.expires_at):%d/%m/%Y}",
        )
        return token, key

    @transaction.atomic
    def revoke(self, *, by):
        if self.revoked_at is not None:
            return False
        self.revoked_at, self.revoked_by = timezone.now(), by
        self.save(update_fields=["revoked_at", "revoked_by"])
        self.events.create(action=TokenAction.REVOKED, actor=by, details=self.name)
        return True

    def record_use(self, calls=1):
        """`calls` more calls, in one statement (concurrent writers never lose a count)."""
        ApiToken.objects.filter(pk=self.pk).update(
            calls=F("calls") + calls, last_used_at=timezone.now()
        )


class ApiTokenEvent(models.Model):
    """The log of a token's creation and revocation: who, when."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("action", max_length=16, choices=TokenAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    details = models.TextField("détails", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "entrée du journal des jetons"
        verbose_name_plural = "journal des jetons"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.token}"
