"""The seal fixtures, for reviews that accept (and so seal) notices."""

from tests.seals.conftest import seal_authority, seal_key_passphrase  # noqa: F401 -- fixtures
