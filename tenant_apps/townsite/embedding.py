"""Which sites may show a town's form in a frame: the town's own, and those it declares."""

from functools import wraps

from tenant_apps.townsite.models import TownSettings


def embeddable(view):
    """Allow framing by the origins the town declared (CSP frame-ancestors), nobody else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = TownSettings.for_request(request).embed_origins()
        # The rest of the policy stays the site's (settings.CONTENT_SECURITY_POLICY).
        response._csp_replace = {"frame-ancestors": ["'self'", *origins]}
        if origins:
            response.xframe_options_exempt = True  # CSP decides; X-Frame-Options would deny
        return response

    return wrapper
