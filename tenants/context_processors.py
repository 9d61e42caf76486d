"""Template context: the current town, the main navigation and links to the national site."""

from django.conf import settings


def territory(request):
    tenant = getattr(request, "tenant", None)
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    is_town = tenant is not None and not tenant.is_public
    user = getattr(request, "user", None)
    items = [("/", "Accueil")]
    if user is not None and user.is_authenticated:
        membership = getattr(request, "membership", None) or (
            user.membership_in(tenant) if is_town else None
        )
        if is_town and membership:
            items.append(("/gestion/", "Gestion"))
        elif hasattr(user, "partner_member"):
            items.append(("/partenaires/", "Espace partenaires"))
        if not is_town and user.is_anct_staff:
            items.append(("/console/", "Console ANCT"))
    path = request.path
    nav_items = [
        {
            "url": url,
            "label": label,
            "current": path == url or (url != "/" and path.startswith(url)),
        }
        for url, label in items
    ]
    return {
        "territory": tenant if is_town else None,
        "national_url": f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/",
        "service_name": "BoursOloco",
        "nav_items": nav_items,
    }
