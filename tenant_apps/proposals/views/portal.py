"""A partner proposes the premises it manages, from the partner portal, under
/partenaires/propositions/: for one of its premises, the proposals and interests so far
and the demands it may see that suit it, to propose to in one click or the best N."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenant_apps.network.perms import (
    demand_for_partner,
    network_partner_required,
    premises_for_partner,
    visible_demands,
)
from tenant_apps.premises.matching import best_demands_for
from tenant_apps.proposals.forms import BestDemandsForm
from tenant_apps.proposals.services import NotProposable, propose
from tenant_apps.proposals.views.backoffice import propose_from_form, proposed_message

SHOWN_MATCHES = 20


@network_partner_required
def premises(request, pk):
    premises = premises_for_partner(request, pk)
    proposals = list(premises.proposals.select_related("demand").order_by("-created_at"))
    by_demand = {proposal.demand_id: proposal for proposal in proposals}
    matches = []
    if premises.is_available:
        found = best_demands_for(premises, limit=100)
        visible = set(
            visible_demands(request)
            .filter(pk__in=[demand.pk for demand, _ in found])
            .values_list("pk", flat=True)
        )
        matches = [
            (demand, match, by_demand.get(demand.pk))
            for demand, match in found
            if demand.pk in visible
        ][:SHOWN_MATCHES]
    return render(
        request,
        "proposals/portal_premises.html",
        {
            "premises": premises,
            "proposals": proposals,
            "matches": matches,
            "best_form": BestDemandsForm(),
            "tab": "premises",
            "title": f"Propositions — {premises.address}",
        },
    )


@require_POST
@network_partner_required
def propose_one(request, pk, reference):
    premises = premises_for_partner(request, pk)
    demand = demand_for_partner(request, reference)
    try:
        proposed_message(
            request, [propose(demand, premises, by=request.user, partner=request.partner)]
        )
    except NotProposable as error:
        messages.error(request, str(error))
    return redirect("proposals_portal:premises", pk=premises.pk)


@require_POST
@network_partner_required
def propose_best(request, pk):
    premises = premises_for_partner(request, pk)
    propose_from_form(request, premises, partner=request.partner, among=visible_demands(request))
    return redirect("proposals_portal:premises", pk=premises.pk)
