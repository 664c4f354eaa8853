"""Who may change the store. Viewers look; the operator uploads, undoes, confirms names and
changes settings. The operator is whoever signs in with the operator password, or with the
Streamlit OIDC login when `[auth]` is configured (optionally only listed e-mail addresses).
With neither, the app is open: anyone may upload (and the app says so).

The password is never kept as written: the environment variable
SAMIKSHA_OPERATOR_PASSWORD_HASH or `operator_password_hash` in `.streamlit/secrets.toml` holds
its scrypt hash, made with `python -m samiksha password`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Mapping

from samiksha.errors import IntakeError

HASH_ENV = "SAMIKSHA_OPERATOR_PASSWORD_HASH"
HASH_SECRET = "operator_password_hash"
EMAILS_SECRET = "operator_emails"  # with OIDC: only these may be the operator (none listed: any signed-in user)
PLAIN_SECRETS = ("operator_password", "password")  # a password written as is: refused, with the way to hash it
MIN_LENGTH = 8
_FORMAT = re.compile(r"scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)")
N, R, P = 2 ** 14, 8, 1  # scrypt cost: about 50 ms and 16 MiB a try

OPEN, PASSWORD, OIDC = "open", "password", "oidc"


def hash_password(password: str, salt: bytes | None = None) -> str:
    """scrypt$N$r$p$salt$hash (base64), for the environment variable or secrets.toml."""
    if len(password) < MIN_LENGTH:
        raise IntakeError("password_too_short", minimum=MIN_LENGTH)
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify(password: str, stored: str) -> bool:
    """The password matches the stored hash (compared in constant time)."""
    found = _FORMAT.fullmatch(stored.strip())
    if not found or not password:
        return False
    n, r, p = (int(found.group(i)) for i in (1, 2, 3))
    if n > 2 ** 20 or r > 32 or p > 16:  # a hash asking for gigabytes is not ours
        return False
    salt, expected = base64.b64decode(found.group(4)), base64.b64decode(found.group(5))
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                            maxmem=256 * 1024 * 1024)
    return hmac.compare_digest(digest, expected)


def password_hash(secrets: Mapping, environ: Mapping | None = None) -> str | None:
    """The operator password's hash: the environment variable, else secrets.toml; None when
    neither sets one. A value that is not a hash (a password written as is) is refused."""
    environ = os.environ if environ is None else environ
    for where, value in ((HASH_ENV, environ.get(HASH_ENV)), (HASH_SECRET, secrets.get(HASH_SECRET))):
        if value:
            if not _FORMAT.fullmatch(str(value).strip()):
                raise IntakeError("bad_password_hash", where=where)
            return str(value).strip()
    for name in PLAIN_SECRETS:
        if secrets.get(name):
            raise IntakeError("plain_password", where=name)
    return None


def oidc_configured(secrets: Mapping) -> bool:
    """Streamlit's login is set up (an [auth] section with a client)."""
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and bool(auth)


def mode(secrets: Mapping, environ: Mapping | None = None) -> str:
    """OPEN (anyone may change the store), PASSWORD or OIDC (OIDC wins when both are set)."""
    if oidc_configured(secrets):
        return OIDC
    return PASSWORD if password_hash(secrets, environ) else OPEN


def oidc_operator(secrets: Mapping, logged_in: bool, email: str | None) -> bool:
    """A user signed in with OIDC is the operator when no e-mail addresses are listed, or theirs is."""
    if not logged_in:
        return False
    listed = [str(e).strip().lower() for e in (secrets.get(EMAILS_SECRET) or [])]
    return not listed or (email or "").strip().lower() in listed
