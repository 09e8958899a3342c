"""Loaded by every Python program a test starts (conftest puts this folder first on
PYTHONPATH): Argon2 with the smallest cost, as the tests' own process has it
(conftest._cheap_password_hashing). Otherwise a `counter` command run by a test verifies
and renews each account's hash at full cost, a quarter second of CPU per sign-in. The
hashes stay real Argon2id; the tests of the cost itself use the ``real_hashes`` fixture.
"""

import argon2

_DEFAULTS = argon2.PasswordHasher.__init__.__defaults__ or ()
argon2.PasswordHasher.__init__.__defaults__ = (1, 1024, 1, *_DEFAULTS[3:])
