import pytest


@pytest.fixture
def bearer(db: object):
    """`bearer(user)` -> request headers carrying a fresh API token for `user`."""
    from zhili.orgs.services import token_issue

    def headers(user: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_issue(user=user)}"}

    return headers
