"""allauth adapter: invitations only for now, and landing pages per host."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Staff accounts are created by invitation (town team, onboarding, demo); open
        # partner registration comes with the partner directory.
        return False

    def get_login_redirect_url(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public:
            return "/gestion/"
        if request.user.is_anct_staff:
            return "/console/"
        return "/"
