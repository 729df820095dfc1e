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
        return self.get_full_name() or self.username
