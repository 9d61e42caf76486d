"""An unverified space is private: its public pages say "bientôt disponible" and collect
nothing; its team prepares it (back-office, sign-in) and previews its pages."""

from django.shortcuts import render

# The API answers only its tokens, which the team creates in /gestion/.
PRIVATE_PREFIXES = ("/gestion/", "/compte/", "/static/", "/media/", "/api/")


class UnverifiedTownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (
            tenant is None
            or tenant.is_public
            or tenant.is_verified
            or request.path.startswith(PRIVATE_PREFIXES)
            or (request.user.is_authenticated and request.user.membership_in(tenant))
        ):
            return self.get_response(request)
        response = render(request, "onboarding/coming_soon.html", {"title": "Bientôt disponible"})
        response.status_code = 404
        response["X-Robots-Tag"] = "noindex"
        return response
