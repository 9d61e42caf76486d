// A local stand-in for ProConnect: a real OpenID provider (oidc-provider) set up as
// ProConnect is — its scopes and claims, the userinfo as a signed JWT (RS256), PKCE,
// state and nonce of at least 32 characters, RP-initiated logout — whose identities are
// the demo's (identities.json). `make run` starts it for the demo, the tests on a free
// port. It never leaves this machine.
//
//   node bin/proconnect-local/server.mjs
//
// Environment: PROCONNECT_LOCAL_PORT (8001; 0 picks a free port), BASE_DOMAIN (the app's
// hosts it sends people back to: BASE_DOMAIN and *.BASE_DOMAIN, any port; localhost),
// PROCONNECT_LOCAL_IDENTITIES (another identities file). Once listening it prints one
// line of JSON on stdout: {"issuer": "http://127.0.0.1:<port>", "clients": [...]}.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const LISTEN_HOST = '127.0.0.1';
const CALLBACK_PATH = '/compte/proconnect/login/callback/';
const SCOPES = ['openid', 'email', 'given_name', 'usual_name', 'siret', 'uid', 'idp_id'];
const SECRET = 'boursoloco-local-secret';
// The app's client, then two faulty ProConnects for the tests: one answers the userinfo
// as plain JSON, the other changes the signed userinfo's payload on the way out.
const CLIENTS = ['boursoloco-local', 'boursoloco-unsigned', 'boursoloco-tampered'];

const port = Number(process.env.PROCONNECT_LOCAL_PORT ?? 8001);
const appDomain = (process.env.BASE_DOMAIN || 'localhost').toLowerCase();
const identitiesFile = process.env.PROCONNECT_LOCAL_IDENTITIES
  || new URL('./identities.json', import.meta.url);
const identities = JSON.parse(readFileSync(identitiesFile, 'utf8'));

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
}

function clientMetadata(clientId) {
  const base = `http://${appDomain}:8000`;
  return {
    client_id: clientId,
    client_secret: SECRET,
    client_name: 'BoursOloco (local)',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    ...(clientId === 'boursoloco-unsigned' ? {} : { userinfo_signed_response_alg: 'RS256' }),
    // One of each for the record; any host of the app is accepted (redirectUriAllowed).
    redirect_uris: [`${base}${CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${base}/`],
  };
}

// Each town has its own host, hence its own callback: every host of the app is accepted,
// on any port, but only on the callback's path (and the home page after a logout).
function isAppUrl(value, path) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname;
  return ['http:', 'https:'].includes(url.protocol)
    && (host === appDomain || host.endsWith(`.${appDomain}`))
    && url.pathname === path && !url.search && !url.hash && !url.username;
}

function html(title, body) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escape(title)} — ProConnect (simulation locale)</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 38rem; margin: 2rem auto; padding: 0 1rem; color: #161616; }
    .banner { background: #fef4f2; border-left: .25rem solid #b34000; padding: .5rem 1rem; }
    label, input, button { display: block; font-size: 1rem; }
    input { width: 100%; padding: .5rem; margin: .25rem 0 1rem; box-sizing: border-box; }
    button { background: #000091; color: #fff; border: 0; padding: .75rem 1.5rem; cursor: pointer; }
    .error { color: #ce0500; font-weight: bold; }
    li { margin-bottom: .5rem; }
  </style>
</head>
<body>
  <p class="banner">Simulation locale de ProConnect pour le développement et les tests : aucun
  compte réel, toute adresse de la liste ci-dessous est acceptée sans mot de passe.</p>
  <main>
    <h1>${escape(title)}</h1>
    ${body}
  </main>
</body>
</html>`;
}

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, { email = '', error = '' } = {}) {
  const choices = identities.map((i) => `<li><code>${escape(i.email)}</code> — ${escape(i.given_name)} ${escape(i.usual_name)}, ${escape(i.label || '')}</li>`).join('\n');
  return html('S’identifier avec ProConnect', `
    <form method="post" action="/interaction/${escape(uid)}/login">
      ${error ? `<p class="error" id="erreur" role="alert">${escape(error)}</p>` : ''}
      <label for="email">Adresse électronique professionnelle</label>
      <input id="email" name="email" type="email" autocomplete="email" required value="${escape(email)}"${error ? ' aria-describedby="erreur"' : ''}>
      <button type="submit">Continuer</button>
    </form>
    <h2>Identités de démonstration</h2>
    <ul>${choices}</ul>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function buildProvider(issuer) {
  const provider = new Provider(issuer, {
    clients: CLIENTS.map(clientMetadata),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: Object.fromEntries(SCOPES.map((scope) => [scope, [scope === 'openid' ? 'sub' : scope]])),
    scopes: SCOPES,
    acrValues: ['eidas1'],
    responseTypes: ['code'],
    async findAccount(ctx, sub) {
      const identity = identities.find((i) => i.sub === sub);
      if (!identity) return undefined;
      const { label, ...claims } = identity;
      return { accountId: sub, async claims() { return claims; } };
    },
    // ProConnect asks for no consent: the client gets every scope it asks for.
    async loadExistingGrant(ctx) {
      const { client, session, params } = ctx.oidc;
      if (!session.accountId) return undefined;
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params.scope || 'openid'));
      await grant.save();
      return grant;
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // ProConnect signs out without asking: the form submits itself.
        async logoutSource(ctx, form) {
          ctx.body = html('Déconnexion', `${form.replace('</form>', '<input type="hidden" name="logout" value="yes"><button type="submit">Se déconnecter</button></form>')}
            <script>document.forms[0].submit()</script>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = html('Vous êtes déconnecté', '<p>Vous êtes déconnecté de ProConnect.</p>');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = html('Erreur', Object.entries(out).map(([key, value]) => `<p><strong>${escape(key)}</strong> : ${escape(value)}</p>`).join(''));
    },
    ttl: {
      AccessToken: 60,
      AuthorizationCode: 30,
      IdToken: 60,
      Interaction: 10 * 60,
      Session: 12 * 60 * 60,
      Grant: 12 * 60 * 60,
    },
  });

  provider.Client.prototype.redirectUriAllowed = (value) => isAppUrl(value, CALLBACK_PATH);
  provider.Client.prototype.postLogoutRedirectUriAllowed = (value) => isAppUrl(value, '/');

  // As ProConnect: state and nonce are required, at least 32 characters each.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET') {
      for (const name of ['state', 'nonce']) {
        if (String(ctx.query[name] || '').length < 32) {
          ctx.status = 400;
          ctx.type = 'html';
          ctx.body = html('Erreur', `<p>Le paramètre <code>${name}</code> est obligatoire et compte au moins 32 caractères.</p>`);
          return;
        }
      }
    }
    await next();
    // The faulty client of the tests: a claim changed after signing, as on the way.
    if (ctx.oidc?.route === 'userinfo' && ctx.oidc.client?.clientId === 'boursoloco-tampered' && typeof ctx.body === 'string') {
      const [header, payload, signature] = ctx.body.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url'));
      claims.siret = '21830061400011';
      ctx.body = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    }
  });

  return provider;
}

async function interaction(provider, req, res) {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return false;
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST' && match[2]) {
    const email = ((await readForm(req)).get('email') || '').trim().toLowerCase();
    const identity = identities.find((i) => i.email === email);
    if (!identity) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, { email, error: 'Aucune identité de démonstration n’a cette adresse : choisissez-en une dans la liste.' }));
      return true;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: identity.sub, acr: 'eidas1', amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
    return true;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(loginPage(details.uid));
  return true;
}

// The issuer carries the port, known once listening (PROCONNECT_LOCAL_PORT=0: a free one).
let provider;
let handle;
const server = createServer(async (req, res) => {
  try {
    if (await interaction(provider, req, res)) return;
  } catch (error) {
    res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html('Erreur', `<p>${escape(error.message)}</p><p>Recommencez la connexion depuis BoursOloco.</p>`));
    return;
  }
  handle(req, res);
});

server.listen(port, LISTEN_HOST, () => {
  const issuer = `http://${LISTEN_HOST}:${server.address().port}`;
  provider = buildProvider(issuer);
  handle = provider.callback();
  process.stdout.write(`${JSON.stringify({ issuer, clients: CLIENTS, secret: SECRET })}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
