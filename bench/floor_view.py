"""The floor of the load benchmark: a view of the same app (same middleware, same town
schema, CSRF checked) that does one insert. Mounted at /banc/plancher/ only when
BENCH_FLOOR_VIEW is on (see src/boursoloco/urls_tenants.py), never in production."""

import uuid

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tenant_apps.mailing.models import OutboundEmail


@require_POST
def floor(request):
    # An outbox row already marked sent: one INSERT in the town's schema, nothing delivered.
    OutboundEmail.objects.create(
        key=f"bench-floor:{uuid.uuid4()}",
        to="plancher@example.fr",
        subject="Plancher",
        body="",
        sent_at=timezone.now(),
    )
    return HttpResponse("ok", content_type="text/plain")
