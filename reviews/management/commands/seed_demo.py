"""Load the demo company: people with roles, and specs with version histories over months.

Idempotent: people are updated in place, specs are created once, and versions already
uploaded are skipped, so `make run` can call it on every start without duplicating anything.
"""

import tomllib
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Department
from reviews.demo import play_review
from reviews.reminders import remind_due_reviews
from specs import actions, permissions
from specs.models import Profile, Spec
from specs.profiles import ensure_builtin_profiles

DEMO_SPECS = Path(settings.BASE_DIR) / "demo" / "specs"
ORGANISATION = "Northwind Ledger"

PEOPLE = [
    ("priya", "Priya", "Raman", Department.PRODUCT, "Product manager"),
    ("tomas", "Tomás", "Álvarez", Department.PRODUCT, "Head of product"),
    ("mei", "Mei", "Chen", Department.ENGINEERING, "Staff engineer"),
    ("jonas", "Jonas", "Müller", Department.ENGINEERING, "Engineering manager"),
    ("aisha", "Aisha", "Okafor", Department.ENGINEERING, "Backend engineer"),
    ("lukas", "Lukas", "Novak", Department.ENGINEERING, "Senior engineer"),
    ("sofia", "Sofia", "Rossi", Department.SECURITY_PRIVACY, "Security lead"),
    ("kenji", "Kenji", "Watanabe", Department.SECURITY_PRIVACY, "Privacy engineer"),
    ("fatima", "Fatima", "Haddad", Department.SUPPORT_OPS, "SRE lead"),
    ("diego", "Diego", "Santos", Department.SUPPORT_OPS, "Support operations manager"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo people and specs (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="review-demo-2026")

    def handle(self, *args, password: str, **options):
        if not settings.DEBUG:
            # Ten people with one published password would be ten open doors in production.
            raise CommandError(
                "seed_demo creates accounts with a known password: it runs only with DEBUG=1."
            )
        ensure_builtin_profiles()
        people = self.seed_people(password)
        created = sum(self.seed_spec(folder, people) for folder in sorted(DEMO_SPECS.iterdir()))
        # Demo reviews are long overdue: their reminders (and escalations) go out as on any
        # working day, once a day however often the demo is seeded.
        reminded = remind_due_reviews()
        self.stdout.write(
            f"demo data: {len(people) - 1} people and an admin; "
            f"{Spec.objects.count()} specs ({created} versions added this run); "
            f"{reminded} review reminders written"
        )

    @transaction.atomic
    def seed_people(self, password: str) -> dict:
        User = get_user_model()
        people = {}
        for username, first, last, department, title in PEOPLE:
            user, made = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@northwind-ledger.example",
                    "department": department,
                    "title": title,
                },
            )
            if made:
                user.set_password(password)
                user.save(update_fields=["password"])
            people[username] = user
        admin, made = User.objects.update_or_create(
            username="admin",
            defaults={
                "first_name": "Spec Review",
                "last_name": "Admin",
                "email": "admin@northwind-ledger.example",
                "is_staff": True,
                "is_superuser": True,
                "title": "Administrator",
            },
        )
        if made:
            admin.set_password(password)
            admin.save(update_fields=["password"])
        people["admin"] = admin
        everyone, _ = Group.objects.get_or_create(name=ORGANISATION)
        everyone.user_set.add(*people.values())
        return people

    @transaction.atomic
    def seed_spec(self, folder: Path, people: dict) -> int:
        meta_path = folder / "meta.toml"
        if not meta_path.is_file():
            return 0
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        versions = meta["versions"]
        first_at = datetime.fromisoformat(versions[0]["uploaded_at"])
        spec = Spec.objects.filter(slug=folder.name).first()
        new = spec is None
        if spec is None:
            spec = actions.create_spec(
                title=meta["title"],
                slug=folder.name,
                profile=Profile.objects.get(name=meta["profile"]),
                author=people[meta["author"]],
                created_at=first_at,
            )
        added = 0
        existing = spec.versions.count()
        for entry in versions[existing:]:
            outcome = actions.upload_version(
                spec=spec,
                data=(folder / entry["file"]).read_bytes(),
                uploaded_by=people[entry["uploaded_by"]],
                note=entry.get("note", ""),
                filename=entry["file"],
                uploaded_at=datetime.fromisoformat(entry["uploaded_at"]),
            )
            added += int(outcome.created)
        stage = meta.get("stage", "draft")
        if new:
            last_upload = datetime.fromisoformat(versions[-1]["uploaded_at"])
            play_review(spec, stage, people, started=last_upload)
        if stage != "draft":
            # Drafts stay private to their author; everything past draft is open to the company.
            permissions.grant(
                spec, Group.objects.get(name=ORGANISATION), permissions.SpecAction.VIEW
            )
        return added
