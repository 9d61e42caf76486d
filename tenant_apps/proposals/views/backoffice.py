"""The team proposes premises from the matches, under /gestion/propositions/: one premises
to one demand in one click, or one premises to its best N demands."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required
from tenant_apps.demands.perms import demand_for
from tenant_apps.premises.perms import premises_for
from tenant_apps.proposals.forms import BestDemandsForm
from tenant_apps.proposals.services import NotProposable, propose, propose_to_best


def proposed_message(request, proposals):
    count = len(proposals)
    if count:
        who = "chaque porteur le recevra" if count > 1 else "le porteur le recevra"
        messages.success(
            request,
            f"Local proposé à {count} demande{'s' if count > 1 else ''} "
            f"({', '.join(p.demand.reference for p in proposals)}) : {who} dans le courriel "
            "du jour et peut déjà répondre depuis son suivi.",
        )
    else:
        messages.info(
            request,
            "Aucune autre demande en cours ne correspond : le local n’a été proposé à personne.",
        )


@require_POST
@town_editor_required
def propose_one(request, reference, premises_pk):
    demand = demand_for(request, reference)
    premises = premises_for(request, premises_pk)
    try:
        proposed_message(request, [propose(demand, premises, by=request.user)])
    except NotProposable as error:
        messages.error(request, str(error))
    if request.POST.get("retour") == "local":
        return redirect("backoffice:premises_detail", pk=premises.pk)
    return redirect("backoffice:demand", reference=demand.reference)


def propose_from_form(request, premises, **who):
    """The « proposer aux N meilleures demandes » form, for the team and for a partner
    (`who`: the partner and the demands it may see); the outcome is told in a message."""
    form = BestDemandsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    elif not premises.is_available:
        messages.error(request, f"Le local {premises.address} n’est plus disponible.")
    else:
        proposed_message(
            request,
            propose_to_best(
                premises,
                form.cleaned_data["count"],
                by=request.user,
                message=form.cleaned_data["message"],
                **who,
            ),
        )


@require_POST
@town_editor_required
def propose_best(request, pk):
    premises = premises_for(request, pk)
    propose_from_form(request, premises)
    return redirect("backoffice:premises_detail", pk=premises.pk)
