"""The town's premises, as a list (the inventory itself comes with the premises work)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from shared_apps.accounts.perms import town_staff_required
from tenant_apps.premises.models import Premises


@town_staff_required()
def premises_list(request):
    premises = Premises.objects.select_related("area", "managing_partner")
    page = Paginator(premises, 25).get_page(request.GET.get("page"))
    return render(request, "backoffice/premises_list.html", {"page_obj": page, "nav": "premises"})
