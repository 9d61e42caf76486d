"""Pick the town from the host name; answer unknown and suspended towns in plain French."""

from django.conf import settings
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from tenants.health import healthz
from tenants.logging import bind_town


class HealthzMiddleware:
    """/healthz answers on every host, even when the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in ("/healthz", "/healthz/"):
            return healthz(request)
        return self.get_response(request)


class TerritoryMiddleware(TenantMainMiddleware):
    @staticmethod
    def hostname_from_request(request):
        """The host name as DNS reads it: case-insensitive, a final dot allowed
        (BASTIA.localhost. is bastia.localhost). Domain rows are stored in lower case.
        get_host() has already checked ALLOWED_HOSTS, which ignores both too."""
        return remove_www(split_domain_port(request.get_host())[0])

    def process_request(self, request):
        bind_town("-")
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        bind_town(tenant.schema_name)
        if tenant.is_suspended:
            return render(request, "errors/suspended.html", {"suspended": tenant}, status=503)
        return None

    def no_tenant_found(self, request, hostname):
        request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        set_urlconf(request.urlconf)
        return render(request, "errors/unknown_town.html", {"hostname": hostname}, status=404)
