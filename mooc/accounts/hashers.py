"""The password hasher: Argon2id with OWASP's parameters instead of Django's.

Django's `Argon2PasswordHasher` defaults (Argon2id, 100 MiB, t=2, p=8) cost about 240 ms
of CPU per check on a 2-core server: a login storm of an exam day ran at 7.6 logins/s.
OWASP's Password Storage Cheat Sheet lists equivalent Argon2id settings; its first,
19 MiB with t=2 and p=1, costs about 29 ms (measured with `argon2.low_level` on the
same machine), so two cores check about 69 passwords a second. The trade-off is in
docs/security.md ("Passwords").

The algorithm name stays `argon2`, so hashes made with Django's defaults still verify;
`must_update` sees their other parameters and Django re-hashes the password with these
at the user's next successful login (`User.check_password`'s setter).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP's first recommended configuration)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
