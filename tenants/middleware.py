"""Pick the town from the host name; answer unknown and suspended towns, and hosts that
are none of ours, in plain French."""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from tenants.errors import error_page
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
        try:
            request.get_host()
        except DisallowedHost as error:
            # django-tenants would answer an empty 404; Django itself answers 400 and logs it.
            logging.getLogger("django.security.DisallowedHost").warning(str(error))
            self.use_public_urls(request)
            return error_page(request, 400, "host")
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        bind_town(tenant.schema_name)
        if tenant.is_suspended:
            return render(request, "errors/suspended.html", {"suspended": tenant}, status=503)
        return None

    @staticmethod
    def use_public_urls(request):
        request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        set_urlconf(request.urlconf)

    def no_tenant_found(self, request, hostname):
        self.use_public_urls(request)
        return render(request, "errors/unknown_town.html", {"hostname": hostname}, status=404)
