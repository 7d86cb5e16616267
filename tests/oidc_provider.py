"""A small OpenID Connect provider for tests, faked only at the network boundary: a real HTTP server on
127.0.0.1 in a thread with a token endpoint (authorization code + PKCE, client secret), a JWKS endpoint
and a userinfo endpoint; ID tokens are signed with an RSA key made per provider. Django's side
(mozilla-django-oidc's code exchange and ID token check, ours on top) runs as in production. The
browser's visit to the authorize endpoint is simulated by `authorize`: it takes the app's redirect,
checks it and answers with the return URL."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from josepy import JWKRSA, RS256
from josepy.jws import JWS

CLIENT_ID = "kcc-test-client"
CLIENT_SECRET = "kcc-test-secret"
KEY_ID = "test-key-1"


def new_key() -> JWKRSA:
    return JWKRSA(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))


class FakeProvider:
    def __init__(self):
        self.key = new_key()
        self.signing_key = self.key  # a test may sign with another key under the same key id
        self.garbled_id_token: str | None = None  # or send this instead of an ID token
        self.codes: dict[str, dict] = {}
        self.userinfo: dict[str, dict] = {}  # by access token
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def settings(self, prefix: str = "") -> dict:
        """mozilla-django-oidc's settings for this provider, under `prefix` ("DIGID_" for the broker)."""
        values = {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
        }
        return {f"{prefix}{name}": value for name, value in values.items()}

    def authorize(self, location: str, claims: dict, userinfo: dict | None = None) -> str:
        """The provider's authorize step for the app's redirect `location`: the user is `claims` (in the ID
        token; `userinfo` at the userinfo endpoint). Returns the path and query the browser is sent back to."""
        url = urlsplit(location)
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{self.issuer}/authorize"
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "claims": {"nonce": query["nonce"], **claims},
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "userinfo": userinfo or {},
        }
        back = urlsplit(query["redirect_uri"])
        return f"{back.path}?{urlencode({'code': code, 'state': query['state']})}"

    def id_token(self, claims: dict) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims}
        signed = JWS.sign(
            json.dumps(payload).encode(),
            key=self.signing_key,
            alg=RS256,
            include_jwk=False,
            kid=KEY_ID,
            protect=frozenset({"alg", "kid"}),
        )
        return signed.to_compact().decode()

    def token(self, form: dict) -> tuple[int, dict]:
        self.token_requests += 1
        grant = self.codes.pop(form.get("code", ""), None)  # a code is used once
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET)
            or form.get("redirect_uri") != grant["redirect_uri"]
            or _s256(form.get("code_verifier", "")) != grant["challenge"]
        ):
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(16)
        self.userinfo[access_token] = grant["userinfo"]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "id_token": self.garbled_id_token or self.id_token(grant["claims"]),
        }

    def jwks(self) -> dict:
        return {"keys": [{**self.key.public_key().to_json(), "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _handler(provider: FakeProvider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if self.path == "/jwks":
                self._answer(200, provider.jwks())
            elif self.path == "/userinfo" and bearer in provider.userinfo:
                self._answer(200, provider.userinfo[bearer])
            else:
                self._answer(404, {})

        def do_POST(self):
            if self.path != "/token":
                self._answer(404, {})
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            self._answer(*provider.token({name: values[0] for name, values in parse_qs(body).items()}))

        def _answer(self, status: int, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # quiet
            pass

    return Handler
