"""A town's landing page."""

from django.shortcuts import render

from tenant_apps.premises.models import Area, Premises


def home(request):
    return render(
        request,
        "townsite/home.html",
        {
            "areas": Area.objects.all(),
            "available_premises": Premises.objects.available().count(),
        },
    )
