"""Downloads of data: a porteur's own (from /suivi/<token>/), a town's whole archive
(its admins, from the settings)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from shared_apps.accounts.perms import town_admin_required
from tenant_apps.demands.views.followup import with_demand
from tenant_apps.portability.models import TownArchive
from tenant_apps.portability.porteur import porteur_data, porteur_pdf
from tenant_apps.portability.tasks import build_archive
from tenants.jobs import enqueue_for_town


def attachment(response, name):
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
@with_demand
def porteur_json(request, demand, token):
    if demand.erased_at:
        raise Http404
    response = JsonResponse(
        porteur_data(demand), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return attachment(response, f"mes-donnees-{demand.reference}.json")


@require_GET
@with_demand
def porteur_pdf_view(request, demand, token):
    if demand.erased_at:
        raise Http404
    response = HttpResponse(porteur_pdf(demand), content_type="application/pdf")
    return attachment(response, f"mes-donnees-{demand.reference}.pdf")


def town_archive(request, pk):
    """One of the town's archives (the schema in use: another town's is not there)."""
    return get_object_or_404(TownArchive, pk=pk)


@town_admin_required
@require_http_methods(["GET", "POST"])
def archives(request):
    under_way = TownArchive.objects.filter(
        status__in=[TownArchive.Status.PENDING, TownArchive.Status.RUNNING]
    ).first()
    if request.method == "POST":
        if under_way:
            messages.info(request, "Une archive est déjà en préparation : la voici.")
        else:
            archive = TownArchive.objects.create(created_by=request.user)
            enqueue_for_town(build_archive, archive.pk)
            messages.success(request, "L’archive est en préparation.")
        return redirect("portability:archives")
    return render(
        request,
        "portability/archives.html",
        {
            "archives": TownArchive.objects.select_related("created_by")[:10],
            "under_way": under_way,
            "nav": "settings",
            "tab": "archive",
            "title": "Archive des données",
        },
    )


@town_admin_required
def archive_state(request, pk):
    """What the page polls while the archive is being built."""
    archive = town_archive(request, pk)
    response = JsonResponse(
        {
            "status": archive.status,
            "label": archive.get_status_display(),
            "percent": archive.percent,
            "done": archive.done,
            "total": archive.total,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@town_admin_required
def archive_file(request, pk):
    archive = town_archive(request, pk)
    path = archive.path
    if archive.status != TownArchive.Status.DONE or not path.exists():
        raise Http404
    stamp = archive.created_at.date().isoformat()
    return FileResponse(
        open(path, "rb"),  # noqa: SIM115 — FileResponse closes it
        as_attachment=True,
        filename=f"boursoloco-{request.tenant.slug}-{stamp}.zip",
        content_type="application/zip",
    )
