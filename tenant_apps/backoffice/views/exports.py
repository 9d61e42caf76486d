"""Exports of the filtered demands: a file at once, or a job with its progress page."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from shared_apps.accounts.perms import town_staff_required
from tenant_apps.backoffice.exports import build_export, export_path, export_rows, inline
from tenant_apps.backoffice.models import Export
from tenant_apps.demands.perms import can_see_contact
from tenants.jobs import enqueue_for_town


@town_staff_required()
def export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in Export.Format.values:
        raise Http404
    query = request.GET.copy()
    for name in ("format", "page", "taille"):
        query.pop(name, None)
    query = query.urlencode()
    with_contact = can_see_contact(request.membership)
    demands, columns = export_rows(request.tenant, query, request.user, with_contact)
    if demands.count() <= settings.EXPORT_INLINE_MAX_ROWS:
        content, content_type = inline(demands, columns, fmt)
        response = HttpResponse(content, content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = content_disposition_header(
            True, f"demandes-{stamp}.{fmt}"
        )
        return response
    job = Export.objects.create(
        created_by=request.user, query=query, format=fmt, with_contact=with_contact
    )
    enqueue_for_town(build_export, job.pk)
    return redirect("backoffice:export_status", pk=job.pk)


def own_export(request, pk):
    return get_object_or_404(Export, pk=pk, created_by=request.user)


@town_staff_required()
def export_status(request, pk):
    job = own_export(request, pk)
    return render(
        request,
        "backoffice/export_status.html",
        {"export": job, "nav": "demands", "title": "Export des demandes"},
    )


@town_staff_required()
def export_file(request, pk):
    job = own_export(request, pk)
    path = export_path(job)
    if job.status != Export.Status.DONE or not path.exists():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=job.file_name)
