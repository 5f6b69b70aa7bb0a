"""A small OpenID Connect provider for tests, served from a thread on 127.0.0.1.

It is a real HTTP server speaking the protocol allauth's generic ``openid_connect`` provider
uses: discovery, JWKS, an authorisation endpoint that approves ``next_claims`` at once, a token
endpoint that checks the client secret (HTTP Basic), the redirect URI and the PKCE verifier and
returns an RS256-signed id_token, and a userinfo endpoint. CI cannot run a real identity
provider, so this stub stands in for one over the network, as the project's rules allow.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "pcc-hub-test"
CLIENT_SECRET = "stub-client-secret"
KEY_ID = "stub-key-1"


class StubOIDCProvider:
    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.next_claims: dict = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # keep test output quiet
                return

            def do_GET(self):
                provider.handle_get(self)

            def do_POST(self):
                provider.handle_post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "StubOIDCProvider":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self, provider_id: str = "sso", name: str = "Utility SSO") -> dict:
        """The SOCIALACCOUNT_PROVIDERS value that points allauth at this stub."""
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": provider_id,
                        "name": name,
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {
                            "server_url": self.url,
                            "token_auth_method": "client_secret_basic",
                        },
                    }
                ],
            }
        }

    # ---- HTTP handling ----

    def _json(self, handler, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def handle_get(self, handler) -> None:
        parsed = urlparse(handler.path)
        query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
        if parsed.path == "/.well-known/openid-configuration":
            self._json(handler, 200, self.discovery())
        elif parsed.path == "/jwks":
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
            public.update({"kid": KEY_ID, "alg": "RS256", "use": "sig"})
            self._json(handler, 200, {"keys": [public]})
        elif parsed.path == "/authorize":
            self.authorize(handler, query)
        elif parsed.path == "/userinfo":
            token = handler.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                self._json(handler, 401, {"error": "invalid_token"})
            else:
                self._json(handler, 200, self.tokens[token])
        else:
            self._json(handler, 404, {"error": "not_found"})

    def handle_post(self, handler) -> None:
        if urlparse(handler.path).path != "/token":
            self._json(handler, 404, {"error": "not_found"})
            return
        length = int(handler.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        self.token_requests.append(form)
        if (
            handler.headers.get("Authorization")
            != "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        ):
            self._json(handler, 401, {"error": "invalid_client"})
            return
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            self._json(handler, 400, {"error": "invalid_grant"})
            return
        challenge = (
            base64.urlsafe_b64encode(
                hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            )
            .decode()
            .rstrip("=")
        )
        if challenge != grant["code_challenge"]:
            self._json(handler, 400, {"error": "invalid_grant", "error_description": "PKCE"})
            return
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant["claims"]
        now = int(time.time())
        id_token = jwt.encode(
            {
                **grant["claims"],
                "iss": self.url,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": grant.get("nonce", ""),
            },
            self.private_key,
            algorithm="RS256",
            headers={"kid": KEY_ID},
        )
        self._json(
            handler,
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, handler, query: dict) -> None:
        """Approve at once for ``next_claims`` and send the browser back with a code."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            self._json(handler, 400, {"error": "invalid_request"})
            return
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "claims": dict(self.next_claims),
            "redirect_uri": query["redirect_uri"],
            "code_challenge": query.get("code_challenge", ""),
            "nonce": query.get("nonce", ""),
        }
        location = (
            f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        )
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.end_headers()
