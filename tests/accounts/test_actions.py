"""The company provider's claims → one account here (accounts.actions.sign_in_with_provider)."""

import pytest

from accounts.actions import SignInRefused, sign_in_with_provider
from accounts.models import User
from accounts.vocabulary import AccountVerb, Refusal
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

ISSUER = "https://id.example.com"


def claims(email="ada@example.com", **more):
    return {"sub": "ada-sub-1", "email": email, "email_verified": True, **more}


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))


def test_an_existing_account_is_matched_by_email_in_any_case(make_user):
    ada = make_user("ada", email="ada.lovelace@example.com")

    user = sign_in_with_provider(
        claims=claims("Ada.Lovelace@EXAMPLE.com", given_name="Ada", family_name="Lovelace"),
        issuer=ISSUER,
    )

    assert user.pk == ada.pk
    user.refresh_from_db()
    assert user.display_name == "Ada Lovelace"  # the directory's name wins
    assert user.check_password("correct horse battery")  # the password is left alone
    assert User.objects.count() == 1
    (event,) = AuditEvent.objects.all()
    assert (event.verb, event.actor_id, event.target) == (
        AccountVerb.SIGNED_IN_WITH_PROVIDER,
        ada.pk,
        f"user:{ada.pk}",
    )
    assert event.data == {
        "issuer": ISSUER,
        "subject": "ada-sub-1",
        "email": "Ada.Lovelace@EXAMPLE.com",
    }


def test_a_new_person_gets_an_account_without_a_password(make_user):
    user = sign_in_with_provider(
        claims=claims(
            "Nia.Newcomer@Example.COM", preferred_username="nia.newcomer", name="Nia Newcomer"
        ),
        issuer=ISSUER,
    )

    user.refresh_from_db()
    assert user.username == "nia.newcomer"
    assert user.email == "Nia.Newcomer@example.com"  # the domain part is normalised
    assert user.display_name == "Nia Newcomer"
    assert not user.has_usable_password()
    assert user.is_active and not user.is_staff
    assert verbs() == [AccountVerb.CREATED_FROM_PROVIDER, AccountVerb.SIGNED_IN_WITH_PROVIDER]
    # The second sign-in finds the same account.
    again = sign_in_with_provider(claims=claims("nia.newcomer@example.com"), issuer=ISSUER)
    assert again.pk == user.pk and User.objects.count() == 1


def test_a_taken_username_gets_a_suffix_and_odd_names_are_folded(make_user):
    make_user("zoe-obrien", email="someone-else@example.com")
    make_user("Zoe-OBrien-2", email="another@example.com")

    user = sign_in_with_provider(
        claims=claims("zoe@example.com", preferred_username="Zoë OBrien@corp"), issuer=ISSUER
    )

    assert user.username == "zoe-obrien-3"


def test_the_username_comes_from_the_address_when_the_provider_sends_none():
    user = sign_in_with_provider(claims=claims("<script>@example.com"), issuer=ISSUER)
    assert user.username == "script"
    nobody = sign_in_with_provider(claims=claims("...@example.org"), issuer=ISSUER)
    assert nobody.username == "user"


@pytest.mark.parametrize("verified", [False, "false", "False"])
def test_an_unverified_address_is_refused_and_nothing_is_created(make_user, verified):
    ada = make_user("ada", email="ada@example.com")
    with pytest.raises(SignInRefused) as refused:
        sign_in_with_provider(claims=claims(email_verified=verified), issuer=ISSUER)
    assert refused.value.reason == Refusal.EMAIL_NOT_VERIFIED
    assert list(User.objects.all()) == [ada]
    (event,) = AuditEvent.objects.all()
    assert event.verb == AccountVerb.PROVIDER_SIGN_IN_REFUSED
    assert event.actor_id is None and event.data["reason"] == "email_not_verified"


def test_an_address_without_the_verified_claim_is_accepted():
    user = sign_in_with_provider(claims={"sub": "x", "email": "entra@example.com"}, issuer=ISSUER)
    assert user.email == "entra@example.com"


def test_two_accounts_sharing_the_address_are_refused(make_user):
    make_user("mei", email="mei@example.com")
    make_user("mei2", email="MEI@example.com")
    with pytest.raises(SignInRefused) as refused:
        sign_in_with_provider(claims=claims("mei@example.com"), issuer=ISSUER)
    assert refused.value.reason == Refusal.DUPLICATE_EMAIL
    assert "More than one account" in str(refused.value)
    assert User.objects.count() == 2
    assert verbs() == [AccountVerb.PROVIDER_SIGN_IN_REFUSED]


def test_a_deactivated_account_is_refused_and_no_second_one_is_made(make_user):
    gone = make_user("jonas", email="jonas@example.com", is_active=False)
    with pytest.raises(SignInRefused) as refused:
        sign_in_with_provider(claims=claims("jonas@example.com"), issuer=ISSUER)
    assert refused.value.reason == Refusal.DEACTIVATED
    assert list(User.objects.all()) == [gone]
    (event,) = AuditEvent.objects.all()
    assert (event.verb, event.actor_id) == (AccountVerb.PROVIDER_SIGN_IN_REFUSED, gone.pk)


@pytest.mark.parametrize("email", ["", None, "   "])
def test_no_address_is_refused(email):
    with pytest.raises(SignInRefused) as refused:
        sign_in_with_provider(claims=claims(email), issuer=ISSUER)
    assert refused.value.reason == Refusal.NO_EMAIL
    assert not User.objects.exists()


def test_an_empty_name_claim_keeps_the_name_we_have(make_user):
    ada = make_user("ada", email="ada@example.com", first_name="Ada", last_name="L")
    sign_in_with_provider(claims=claims(name="", given_name=""), issuer=ISSUER)
    ada.refresh_from_db()
    assert ada.display_name == "Ada L"
