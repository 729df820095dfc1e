from django.contrib.auth.models import AbstractUser
from django.db import models


class Department(models.TextChoices):
    PRODUCT = "product", "Product"
    ENGINEERING = "engineering", "Engineering"
    SECURITY_PRIVACY = "security_privacy", "Security/Privacy"
    SUPPORT_OPS = "support_ops", "Support/Ops"


class User(AbstractUser):
    title = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=32, choices=Department.choices, blank=True)

    @property
    def display_name(self) -> str:
        return display_name(self.username, self.first_name, self.last_name)


def display_name(username: str, first_name: str, last_name: str) -> str:
    """A person's name as pages show it, from the three columns (for rows read with values(),
    without a User instance): `get_full_name()`, else the username."""
    return f"{first_name} {last_name}".strip() or username
