"""A town URLconf with one view that fails, for the observability tests."""

from django.urls import path

from boursoloco.urls_tenants import handler500  # noqa: F401
from boursoloco.urls_tenants import urlpatterns as town_urlpatterns


def boom(request):
    raise RuntimeError("panne voulue")


urlpatterns = [path("panne/", boom), *town_urlpatterns]
