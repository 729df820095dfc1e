from tests.accounts.oidc_provider import company_sign_in, oidc_provider

__all__ = ["company_sign_in", "oidc_provider"]
