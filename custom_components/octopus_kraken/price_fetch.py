"""The one way prices are asked for: a tariff's unit rates and standing charges over a period.

The rates coordinator (recent and coming days, and the ``get_rates`` action's past unit rates)
and the tariff histories (older days, for costs and tariff comparisons) all fetch through here,
so all read Economy 7's registers in the meter's night window and treat an export tariff without
standing charges alike.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .api import Fuel, OctopusClient, Rate, RateType, StandingCharge
from .domain.economy7 import NightWindow, economy7_timeline
from .domain.rate_data import TariffPeriod, clip_charges, clip_rates


async def async_fetch_unit_rates(
    client: OctopusClient,
    fuel: Fuel,
    tariff: TariffPeriod,
    start: datetime,
    end: datetime,
    night: NightWindow,
) -> list[Rate]:
    """The tariff's unit rates from ``start``: one request, two for day/night tariffs.

    Economy 7's registers become one timeline over ``[start, end)`` (night rates inside
    ``night``); other tariffs' open-ended rates stay open while the tariff is.
    """
    if tariff.registers == 2:
        day = await client.async_get_unit_rates(
            tariff.product_code, tariff.tariff_code, fuel=fuel, rate_type=RateType.DAY,
            period_from=start, period_to=end,
        )  # fmt: skip
        night_rates = await client.async_get_unit_rates(
            tariff.product_code, tariff.tariff_code, fuel=fuel, rate_type=RateType.NIGHT,
            period_from=start, period_to=end,
        )  # fmt: skip
        return list(economy7_timeline(day, night_rates, start, end, night=night))
    rates = await client.async_get_unit_rates(
        tariff.product_code, tariff.tariff_code, fuel=fuel, period_from=start, period_to=end
    )
    return clip_rates(rates, start, tariff.valid_to)


async def async_fetch_standing_charges(
    client: OctopusClient,
    fuel: Fuel,
    tariff: TariffPeriod,
    start: datetime,
    end: datetime,
    *,
    export: bool,
) -> list[StandingCharge]:
    """The tariff's standing charges over ``[start, end)``, cut to the tariff's validity.

    Export tariffs may list no standing charge at all: that is a charge of zero, known (not
    "unknown", and not asked for again at every refresh).
    """
    charges = await client.async_get_standing_charges(
        tariff.product_code, tariff.tariff_code, fuel=fuel, period_from=start, period_to=end
    )
    if not charges and export:
        charges = [StandingCharge(tariff.valid_from, None, Decimal(0), Decimal(0))]
    return clip_charges(charges, tariff.valid_from, tariff.valid_to)
