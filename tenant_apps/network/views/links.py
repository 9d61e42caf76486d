"""The links of an alert email, used without logging in: one-click answers and
unsubscribing. A GET never changes anything (mail scanners open links); the page posts
the answer itself with a line of JavaScript, so for a person it is still one click."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tenant_apps.network.enums import Answer
from tenant_apps.network.models import (
    ANSWER_SALT,
    UNSUBSCRIBE_SALT,
    Alert,
    NetworkMember,
)
from tenant_apps.network.services import record_answer
from tenant_apps.premises.enums import PremisesKind
from tenants.signing import town_salt


def read_token(token, salt, expires=True):
    """The token's payload, or the French reason it cannot be used."""
    max_age = timedelta(days=settings.ALERT_LINK_DAYS) if expires else None
    try:
        return signing.loads(token, salt=town_salt(salt), max_age=max_age), None
    except signing.SignatureExpired:
        return None, "Ce lien a expiré. Retrouvez les demandes ouvertes dans votre espace."
    except signing.BadSignature:
        return None, "Ce lien n’est pas valide : il a peut-être été mal copié."


def invalid(request, reason):
    return render(
        request,
        "network/link_invalid.html",
        {"reason": reason, "title": "Lien inutilisable"},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def answer(request, token):
    payload, reason = read_token(token, ANSWER_SALT)
    if payload is None:
        return invalid(request, reason)
    alert_id, choice = payload
    alert = Alert.objects.select_related("demand", "partner").filter(pk=alert_id).first()
    if alert is None or choice not in Answer.values:
        return invalid(request, "Cette alerte n’existe plus.")
    recorded = None
    if request.method == "POST":
        recorded = record_answer(alert, choice)
    return render(
        request,
        "network/answer.html",
        {
            "alert": alert,
            "choice": Answer(choice),
            "posted": request.method == "POST",
            "recorded": recorded,
            "title": "Votre réponse",
        },
    )


# Mail clients post one-click unsubscriptions (RFC 8058) without any cookie or token
# of ours: the signed link is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    # An unsubscribe link keeps working however old the email is.
    payload, reason = read_token(token, UNSUBSCRIBE_SALT, expires=False)
    if payload is None:
        return invalid(request, reason)
    member_id, scope = payload
    member = NetworkMember.objects.select_related("partner").filter(pk=member_id).first()
    if member is None or (scope != "all" and scope not in PremisesKind.values):
        return invalid(request, "Cet abonnement n’existe plus.")
    if request.method == "POST":
        if scope == "all":
            member.stop_all_alerts()
        else:
            member.stop_alerts_for(scope)
    return render(
        request,
        "network/unsubscribe.html",
        {
            "member": member,
            "scope": scope,
            "kind_label": PremisesKind(scope).label if scope != "all" else "",
            "posted": request.method == "POST",
            "title": "Se désabonner",
        },
    )
