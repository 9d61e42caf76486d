"""The ANCT console's claims: who asked to run which town's space, how each was verified,
and the ANCT's decision (verify or refuse), audited."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shared_apps.accounts.models import Membership
from shared_apps.accounts.perms import anct_staff_required
from shared_apps.national.models import AuditEntry
from shared_apps.onboarding.enums import ClaimStatus
from shared_apps.onboarding.models import Claim
from shared_apps.onboarding.services import reject, verify
from tenants.enums import TerritoryVerification


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif, envoyé au demandeur",
        max_length=300,
        error_messages={"required": "Indiquez le motif du refus : il est envoyé au demandeur."},
    )


@anct_staff_required
def claims(request):
    pending = Claim.objects.pending().select_related("territory", "claimant")
    decided = (
        Claim.objects.exclude(status=ClaimStatus.PENDING)
        .select_related("territory", "claimant", "decided_by")
        .order_by("-decided_at")[:50]
    )
    pending = list(pending)
    # Who prepares each space: the claimant who created it holds its membership.
    preparing = set(
        Membership.objects.filter(
            territory__in=[claim.territory_id for claim in pending]
        ).values_list("user_id", "territory_id")
    )
    towns = {}
    for claim in pending:
        claim.created_space = (claim.claimant_id, claim.territory_id) in preparing
        towns.setdefault(claim.territory, []).append(claim)
    return render(
        request,
        "onboarding/console_claims.html",
        {"towns": towns, "decided": decided, "title": "Demandes d’ouverture"},
    )


@require_POST
@anct_staff_required
def decide(request, pk, decision):
    """Verify or refuse a pending claim, after a confirmation page (both are final: a
    verified claimant gets the space and the others are refused)."""
    claim = get_object_or_404(
        Claim.objects.pending().select_related("territory", "claimant"), pk=pk
    )
    if decision not in ("verifier", "refuser"):
        return redirect("onboarding_console:claims")
    asked = request.POST.get("confirmation") == "oui"
    form = RefusalForm(request.POST if asked else None)
    confirmed = asked and (decision == "verifier" or form.is_valid())
    if not confirmed:
        return render(
            request,
            "onboarding/console_decide.html",
            {
                "claim": claim,
                "decision": decision,
                "form": form,
                "others": claim.territory.claims.pending().exclude(pk=claim.pk),
                "title": "Confirmer la décision",
            },
            status=400 if form.errors else 200,
        )
    town, person = claim.territory, claim.claimant
    if decision == "verifier":
        verify(claim, TerritoryVerification.ANCT, by=request.user)
        AuditEntry.objects.create(
            actor=request.user,
            action="vérification",
            territory=town,
            details=f"Espace confié à {person.get_full_name()} ({person.email})",
        )
        messages.success(request, f"{town.name} est vérifiée : son espace est public.")
    else:
        reason = form.cleaned_data["reason"]
        AuditEntry.objects.create(
            actor=request.user,
            action="demande refusée",
            territory=town,
            details=f"{town.name} — {person.get_full_name()} ({person.email}) : {reason}",
        )
        reject(claim, by=request.user, reason=reason)
        messages.success(request, f"Demande de {person.email} pour {town.name} refusée.")
    return redirect("onboarding_console:claims")
