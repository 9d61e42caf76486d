"""The national URLconf with one view that fails, for the error page tests."""

from django.urls import path

from boursoloco.urls_public import handler500  # noqa: F401
from boursoloco.urls_public import urlpatterns as national_urlpatterns
from tests.tenants.urls_failing import boom

urlpatterns = [path("panne/", boom), *national_urlpatterns]
