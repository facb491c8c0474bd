"""pytest plugin (loaded with ``-p``): an isolated, throwaway instance for every test run.

It must run before pytest-django imports the settings, which is why it is a plugin and not a
conftest: the settings fail loudly without a secret key, and tests must never pick up a real
instance's home folder or master key from the developer's environment.
"""

from __future__ import annotations

import os
import secrets
import tempfile

from testimonio.crypto import generate_audit_key, generate_master_key, generate_signing_key

_home = tempfile.mkdtemp(prefix="testimonio-test-home-")
os.environ["TESTIMONIO_HOME"] = _home
os.environ["TESTIMONIO_SECRET_KEY"] = secrets.token_urlsafe(50)
os.environ["TESTIMONIO_MASTER_KEY"] = generate_master_key()
os.environ["TESTIMONIO_AUDIT_KEY"] = generate_audit_key()
os.environ["TESTIMONIO_AUDIT_SIGNING_KEY"] = generate_signing_key()
for _variable in (
    "TESTIMONIO_SECRET_KEY_FILE",
    "TESTIMONIO_MASTER_KEY_FILE",
    "TESTIMONIO_AUDIT_KEY_FILE",
    "TESTIMONIO_AUDIT_SIGNING_KEY_FILE",
):
    os.environ.pop(_variable, None)
