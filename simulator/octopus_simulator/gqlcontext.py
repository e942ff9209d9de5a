"""Per-request GraphQL context: who is asking, and the checks every resolver needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from octopus_simulator.kraken_errors import KrakenError

if TYPE_CHECKING:
    from octopus_simulator.app import Simulator
    from octopus_simulator.scenario import Account, Device, User


@dataclass(slots=True)
class GqlContext:
    """Built once per request; the user is resolved lazily so public fields need no token."""

    sim: Simulator
    authorization: str | None
    _user: User | None = field(default=None, init=False)

    def now(self) -> datetime:
        """The simulator clock."""
        return self.sim.now()

    def user(self) -> User:
        """The authenticated user; KT-CT-1112 without a header, KT-CT-1111/1120 when invalid."""
        if self._user is None:
            if not self.authorization:
                raise KrakenError("KT-CT-1112")
            user_id = self.sim.tokens.user_id_for(
                self.authorization, self.now(), self.sim.scenario.auth
            )
            user = self.sim.scenario.user_by_id(user_id)
            if user is None:
                raise KrakenError("KT-CT-1111")
            self._user = user
        return self._user

    def limit(self, field_name: str) -> None:
        """Apply the field's per-user rate limit; KT-CT-1199 when exhausted."""
        limit = self.sim.scenario.rate_limits.get(field_name)
        if limit is None:
            return
        key = str(self.user().user_id)
        if not self.sim.limiter.hit(key, field_name, self.now(), limit):
            raise KrakenError("KT-CT-1199")

    def own_account(self, number: str, code: str = "KT-CT-4177") -> Account:
        """An account of the user; ``code`` when it is someone else's or does not exist."""
        user = self.user()
        account = self.sim.scenario.account(number)
        if account is None or number not in user.account_numbers:
            raise KrakenError(code)
        return account

    def own_device(self, device_id: str) -> tuple[Account, Device]:
        """A present SmartFlex device on one of the user's accounts; KT-CT-1111 otherwise."""
        user = self.user()
        try:
            account, device = self.sim.scenario.device(device_id)
        except KeyError:
            raise KrakenError("KT-CT-1111") from None
        if account.number not in user.account_numbers or not device.present_at(self.now()):
            raise KrakenError("KT-CT-1111")
        return account, device
