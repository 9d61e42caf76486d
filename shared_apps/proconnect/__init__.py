"""ProConnect: sign in with the State's identity federation for public agents and
professionals (OpenID Connect, through django-allauth)."""
