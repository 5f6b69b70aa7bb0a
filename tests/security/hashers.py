"""A password hasher that counts the hashes it computes, for the account-enumeration tests.

Every PBKDF2 computation goes through ``encode`` (``verify`` and ``harden_runtime`` call it),
so ``computed`` is the number of password hashes a request cost; ``verified`` counts the
``check_password`` calls among them. The iteration count is Django's own: the tests compare
counts, and the one coarse timing check needs the real cost of a hash.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class CountingPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    computed = 0
    verified = 0

    @classmethod
    def reset(cls) -> None:
        cls.computed = 0
        cls.verified = 0

    def encode(self, password, salt, iterations=None):
        type(self).computed += 1
        return super().encode(password, salt, iterations)

    def verify(self, password, encoded):
        type(self).verified += 1
        return super().verify(password, encoded)
