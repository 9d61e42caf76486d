"""What a ProConnect login leaves in the session: its claims, which the onboarding reads
to recognise a town's agent by SIRET (and partner code may read too), and the ID token
that signs the person out at ProConnect as well."""

PROCONNECT_SESSION_KEY = "proconnect_claims"
ID_TOKEN_SESSION_KEY = "proconnect_id_token"
# The claims ProConnect is asked for (scopes of the same names) and that are kept.
CLAIMS = ("email", "given_name", "usual_name", "siret", "uid", "idp_id")


def session_claims(request):
    """The claims of the ProConnect login that opened this session, a dict of CLAIMS
    (e.g. {"siret": "21830050700017", ...}), or None when the session was opened
    otherwise or nobody is signed in."""
    if not request.user.is_authenticated:
        return None
    claims = request.session.get(PROCONNECT_SESSION_KEY)
    return claims if isinstance(claims, dict) else None


def remember_login(session, claims, id_token):
    session[PROCONNECT_SESSION_KEY] = {name: claims.get(name) for name in CLAIMS}
    session[ID_TOKEN_SESSION_KEY] = id_token


def forget_login(session):
    session.pop(PROCONNECT_SESSION_KEY, None)
    session.pop(ID_TOKEN_SESSION_KEY, None)
