"""Every URL of a town's site that is not public by design, with its path parameters
filled from a given town's objects.

The list is read from the URLconf, so a URL added later is attacked too. A URL whose
parameters no filler knows fails the attack tests (it is never skipped): register a
filler in FILLERS below, or, if the URL is public by design, add it to PUBLIC with why.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic import RedirectView

# Public by design on a town's host, by namespace or by name (namespace:name).
PUBLIC = {
    "townsite": "the town's site",
    "catalogue": "the public catalogue of published premises (test_catalogue: nothing private)",
    "demands": "the porteur's form and follow-up pages (signed links: test_signed_links)",
    "proposals": "the porteur's proposals under their follow-up link, and the catalogue's "
    "emailed link (tests/tenant_apps/proposals: a token of one town worth nothing on another)",
    "portability_porteur": "the porteur's own data under their follow-up link (signed link; "
    "tests/tenant_apps/portability/test_porteur.py: a token of one town worth nothing on "
    "another)",
    "national": "legal pages",
    "legal_*": "legal pages",
    "impact:open_data": "open data, published on purpose",
    "impact:open_data_json": "open data, published on purpose",
    "impact:open_data_csv": "open data, published on purpose",
    "partners": "partner registration, open to anyone",
    "applicant_alerts": "the porteur's alert switch (follow-up link) and unsubscribe link "
    "(signed links: tests/tenant_apps/applicant_alerts/test_links.py)",
    "network:home": "the partner portal's welcome: what joining a town's network brings",
    "network:answer_link": "a partner's one-click answer (signed link: test_signed_links)",
    "network:unsubscribe": "a partner's unsubscribe link (signed link: test_signed_links)",
    "welcome": "the new admin's one-time link (signed link: test_signed_links)",
    "consult": "ANCT's one-time consultation link (signed link: test_signed_links)",
    "bench_floor": "benchmarks only, mounted when BENCH_FLOOR_VIEW is set",
    # allauth: login, logout, password reset, codes; not a town's data.
    "account_*": "allauth's own pages",
    "mfa_*": "allauth's own pages",
    "socialaccount_*": "allauth's pages of a ProConnect login: errors, sign-up, own links",
    "proconnect_*": "ProConnect's sign-in and callback (tests/shared_apps/proconnect)",
    "media": "development only; tests/tenant_apps/backoffice/test_settings.py checks it",
    "calls": "the town's published calls for applications and the application form "
    "(drafts 404; tests/tenant_apps/calls/test_public.py and test_applications.py)",
    "api": "token-authenticated API, no session (tests/shared_apps/api/test_scopes.py walks "
    "every route with every scope, town A's token on town B, without a token)",
    "api_docs": "the API's documentation, public by design (tests/shared_apps/api/test_openapi.py)",
    "tasks:calendar_feed": "a person's calendar feed, fetched by calendar servers without a "
    "session (secret address: tests/tenant_apps/tasks/test_calendar.py)",
}


# Public by design on the national site (BASE_DOMAIN).
NATIONAL_PUBLIC = {
    "national:home": "the national site",
    "national:legal_*": "legal pages",
    "onboarding": "a town's self-onboarding, open to anyone",
    "api": "token-authenticated API, no session (tests/shared_apps/api/test_scopes.py)",
    "api_docs": "the API's documentation, public by design (tests/shared_apps/api/test_openapi.py)",
    "partners:home": "the partner directory's welcome",
    "partners:register": "partner registration, open to anyone",
    "partners:register_code": "partner registration, open to anyone",
    "partners:siret": "the SIRET look-up of the registration form",
    "account_*": "allauth's own pages",
    "mfa_*": "allauth's own pages",
    "socialaccount_*": "allauth's pages of a ProConnect login: errors, sign-up, own links",
    "proconnect_*": "ProConnect's sign-in and callback (tests/shared_apps/proconnect)",
}


def _object(name):
    def fill(objects):
        return objects[name]

    return fill


# How to fill a path parameter: by `namespace:name` and parameter, or by parameter alone
# (the default for every URL). A filler gets the town's objects (see conftest.victim).
FILLERS = {
    "reference": _object("reference"),
    "backoffice:delete_area pk": _object("area"),
    "api_tokens:revoke pk": _object("api_token"),
    "api_console:revoke pk": _object("api_token"),
    # Public (token-authenticated) routes, walked by tests/attacks/test_safe_methods.py.
    "api:premises_detail premises_id": _object("premises"),
    "api:premises_update premises_id": _object("premises"),
    "api:town slug": _object("town_slug"),
    "api:town_open_data slug": _object("town_slug"),
    "backoffice:change_member pk": _object("membership"),
    "backoffice:export_status pk": _object("export"),
    "backoffice:export_file pk": _object("export"),
    "portability:archive_state pk": _object("archive"),
    "portability:archive_file pk": _object("archive"),
    "backoffice:premises_detail pk": _object("premises"),
    "backoffice:premises_edit pk": _object("premises"),
    "backoffice:premises_state pk": _object("premises"),
    "backoffice:premises_photo pk": _object("premises"),
    "backoffice:premises_photo_delete pk": _object("premises"),
    "backoffice:premises_photo_delete photo_pk": _object("photo"),
    "network:premises_edit pk": _object("premises"),
    "proposals_admin:propose premises_pk": _object("premises"),
    # The victim's demand with itself: enough to reach (and be refused) the merge page.
    "demands_admin:merge other": _object("reference"),
    "proposals_admin:propose_best pk": _object("premises"),
    "proposals_portal:premises pk": _object("premises"),
    "proposals_portal:propose pk": _object("premises"),
    "proposals_portal:propose_best pk": _object("premises"),
    "network_admin:decide pk": _object("network_member"),
    "exchanges:edit pk": _object("exchange"),
    "exchanges:delete pk": _object("exchange"),
    "tasks:add_to_premises pk": _object("premises"),
    **{f"tasks:{name} pk": _object("task") for name in ("edit", "delete", "done", "undone")},
    "tasks:calendar_feed token": _object("calendar_token"),
    "notifications:open pk": _object("notification"),
    "notifications:read pk": _object("notification"),
    "correspondence:attachment pk": _object("attachment"),
    **{f"calls_admin:{name} pk": _object("call") for name in ("detail", "edit", "publish")},
    "calls_admin:business_plan pk": _object("call"),
    "calls_admin:business_plan application_pk": _object("application"),
    # The porteur's follow-up link with a call of B: A's host does not know either.
    "calls_followup:apply token": _object("followup_token"),
    "calls_followup:apply pk": _object("call"),
    "calls_portal:edit pk": _object("call"),
    "kit:call_pdf pk": _object("call"),
    "kit:call_qr pk": _object("call"),
    "trials:start call_pk": _object("call"),
    **{f"trials:{name} pk": _object("trial") for name in ("detail", "outcome", "a_year_later")},
    "trials:milestone pk": _object("trial"),
    "trials:milestone milestone_pk": _object("milestone"),
    # Public: a published call's pages (walked by tests/attacks/test_safe_methods.py).
    **{f"calls:{name} pk": _object("call") for name in ("detail", "apply", "applied")},
    # The jury: a juror's pages of a call, and the team's.
    **{
        f"jury:{name} {param}": _object(kind)
        for name in ("call", "application", "submit", "conflict", "business_plan")
        for param, kind in (("pk", "call"), ("application_pk", "application"))
    },
    **{
        f"jury_admin:{name} pk": _object("call")
        for name in ("jurors", "revoke", "close", "ranking", "decision")
    },
    "jury_admin:revoke juror_pk": _object("juror"),
    **{
        f"webhooks:{name} pk": _object("webhook")
        for name in ("detail", "switch", "delete", "delivery", "replay")
    },
    **{f"webhooks:{name} delivery_pk": _object("delivery") for name in ("delivery", "replay")},
    "correspondence:edit_template pk": _object("email_template"),
    "correspondence:delete_template pk": _object("email_template"),
    # National site: the console, billing, and a partner joining a town.
    "national:moderate_partner pk": _object("partner"),
    "national:view_as pk": _object("town"),
    "national:town_export pk": _object("town"),
    "national:console_action pk": _object("town"),
    "national:console_action action": lambda objects: "validate",
    "billing:change_plan pk": _object("town"),
    "billing:new_invoice pk": _object("town"),
    "billing:invoice_file number": _object("invoice"),
    "billing:invoice_status number": _object("invoice"),
    "billing:invoice_status status": lambda objects: "paid",
    "partners:join pk": _object("town"),
    "partners:decide_member pk": _object("candidate"),
    "partners:decide_member decision": lambda objects: "accepter",
    "catalogue:detail pk": _object("premises"),
    "applicant_alerts:switch token": _object("followup_token"),
    "proposals:browse token": _object("followup_token"),
    "proposals:answer token": _object("followup_token"),
    "proposals:answer pk": _object("premises"),
    "proposals:interest token": _object("followup_token"),
    "proposals:interest premises_pk": _object("premises"),
    "proposals:interest_by_email premises_pk": _object("premises"),
    "applicant_alerts:unsubscribe token": _object("alerts_unsubscribe_token"),
    "onboarding_console:decide pk": _object("claim"),
    "onboarding_console:decide decision": lambda objects: "verifier",
    # Public pages that take a signed link or a step (tests/attacks/test_safe_methods.py
    # walks every GET route, public ones included).
    "demands:step slug": lambda objects: "local",
    **{
        f"demands:{name} token": _object("followup_token")
        for name in ("followup", "act", "still_searching", "update", "erase")
    },
    "portability_porteur:json token": _object("followup_token"),
    "portability_porteur:pdf token": _object("followup_token"),
    "network:answer_link token": _object("answer_token"),
    "network:unsubscribe token": _object("unsubscribe_token"),
    "welcome token": _object("welcome_token"),
    "consult token": _object("consult_token"),
}

# Regular-expression routes (allauth's, the development media route): the whole path.
REGEX_FILLERS = {
    "account_confirm_email": lambda objects: f"/compte/confirm-email/{objects['email_key']}/",
    "account_reset_password_from_key": lambda objects: (
        f"/compte/password/reset/key/{objects['reset_key']}/"
    ),
    "media": lambda objects: f"/media/{objects['schema']}/photos/vitrine.jpg",
}


@dataclass(frozen=True)
class TownUrl:
    name: str  # namespace:name
    route: str  # e.g. gestion/demandes/<str:reference>/
    params: tuple
    default_kwargs: tuple  # extra kwargs the URLconf passes (kit's `document`)

    def __str__(self):
        return self.name

    def path(self, objects):
        """The URL with its parameters filled from `objects`; fails loudly when a
        parameter has no filler."""
        if "^" in self.route:
            if self.name not in REGEX_FILLERS:
                raise LookupError(
                    f"No filler for {self.name} (/{self.route}): add it to REGEX_FILLERS"
                )
            return REGEX_FILLERS[self.name](objects)
        path = "/" + self.route
        for param in self.params:
            filler = FILLERS.get(f"{self.name} {param}") or FILLERS.get(param)
            if filler is None:
                raise LookupError(
                    f"No filler for the parameter `{param}` of {self.name} (/{self.route}): "
                    f"add '{self.name} {param}' to FILLERS in tests/attacks/urls.py (and the "
                    "object to tests/attacks/conftest.py), or the URL to PUBLIC if anyone "
                    "may open it."
                )
            value = filler(objects)
            path = path.replace(f"<{self.converters[param]}:{param}>", str(value))
            path = path.replace(f"<{param}>", str(value))
        return path

    @property
    def converters(self):
        found = {}
        for part in self.route.split("<")[1:]:
            inside = part.split(">")[0]
            converter, _, name = inside.rpartition(":")
            found[name] = converter or "str"
        return found


def _is_public(name, public):
    namespace = name.split(":")[0] if ":" in name else None
    if name in public or (namespace and namespace in public):
        return True
    bare = name.split(":")[-1]
    return any(
        key.endswith("*") and (name.startswith(key[:-1]) or bare.startswith(key[:-1]))
        for key in public
    )


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or ("media" if "media" in str(entry.pattern) else None)
            if name is None and getattr(entry.callback, "view_class", None) is RedirectView:
                continue  # allauth's old addresses: redirects to named URLs, walked here
            if name is None:
                raise LookupError(f"/{prefix}{entry.pattern} has no name: name it")
            full = f"{namespace}:{name}" if namespace else name
            yield full, prefix + str(entry.pattern), entry


def all_urls(urlconf):
    """Every URL of a URLconf, public ones included, sorted by name."""
    found = {}
    for name, route, entry in _walk(get_resolver(urlconf).url_patterns):
        params = tuple(
            param for param in entry.pattern.converters if param not in (entry.default_args or {})
        )
        found.setdefault(
            name, TownUrl(name, route, params, tuple(sorted((entry.default_args or {}).items())))
        )
    return sorted(found.values(), key=lambda url: url.name)


def protected_urls(urlconf=None, public=None):
    """The URLs that need a town's staff, a partner or ANCT staff, sorted by name: a
    town's site by default, the national site with settings.PUBLIC_SCHEMA_URLCONF and
    NATIONAL_PUBLIC."""
    public = PUBLIC if public is None else public
    found = [
        url
        for url in all_urls(urlconf or settings.ROOT_URLCONF)
        if not _is_public(url.name, public)
    ]
    for url in found:
        if url.route.startswith("^"):
            raise LookupError(f"{url.name}: regular-expression routes need a filler here")
    return found
