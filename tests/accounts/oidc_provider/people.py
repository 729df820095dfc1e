"""The people in the test provider's directory (plain data: the tests import it too)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    username: str
    password: str
    email: str
    first_name: str
    last_name: str
    email_verified: bool = True


# The directory spells Ada's address in capitals; the app's account for her does not.
ADA = Person("ada.lovelace", "engine 1843", "Ada.Lovelace@Example.COM", "Ada", "Lovelace")
NIA = Person("nia", "newcomer passphrase 2026", "nia@example.com", "Nia", "Newcomer")
GRACE = Person("grace", "compiler 1952", "grace@example.org", "Grace", "Hopper", False)
PEOPLE = [ADA, NIA, GRACE]
