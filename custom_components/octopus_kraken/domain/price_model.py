"""The one pricing model: the unit price of any half-hour, the standing charge of any UK day.

Built from what the coordinators hold: the tariffs in force (from the agreements), the unit
rates each tariff published (Economy 7's day and night registers already placed in the meter's
night window), the standing charges, and the smart dispatches. Every price the integration
shows or uses comes from here: rate entities, cheapest windows, cost trackers, the Home Mini's
cost today and the consumption cost statistics.

Intelligent Octopus Go (the billing facts of the shared API notes):
- which half-hours dispatches make off-peak is ``dispatch.dispatch_half_hours``: any overlap
  makes the whole half-hour off-peak, withdrawn plans never count, boosts are billed at the
  peak rate and use no allowance (``dispatch.smart_only``), and extended off-peak outside the
  fixed 23:30-05:30 window is capped at ``dispatch.MAX_EXTENDED_OFF_PEAK_PER_DAY`` per UK day,
  earliest half-hours first;
- their price is decided here: the off-peak (lowest) published rate of the half-hour's UK day,
  and only where the tariff in force at the half-hour is Intelligent Octopus Go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from ..api.models import Dispatch, Rate, StandingCharge
from .dispatch import billed_off_peak
from .rate_data import TariffPeriod
from .tariff_codes import TariffKind
from .time import HALF_HOUR, LONDON, Period, local_date, local_day_bounds, merge_periods, to_utc
from .timeline import RateTimeline, standing_charge_at

_FAR_PAST = datetime.min.replace(tzinfo=UTC)
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def intelligent_periods(tariffs: Iterable[TariffPeriod]) -> tuple[Period, ...]:
    """When the tariff in force is Intelligent Octopus Go (dispatches reprice only then)."""
    return tuple(
        merge_periods(
            (tariff.valid_from or _FAR_PAST, tariff.valid_to or _FAR_FUTURE)
            for tariff in tariffs
            if tariff.kind is TariffKind.INTELLIGENT_GO
        )
    )


def dispatch_off_peak(
    completed: Iterable[Dispatch],
    planned: Iterable[Dispatch] = (),
    started: Iterable[Dispatch] = (),
    *,
    now: datetime,
) -> tuple[Period, ...]:
    """The half-hours smart dispatches make off-peak (cap applied): what the model takes.

    Costs of the past pass only ``completed`` (what the bill counts); live prices also pass the
    current plan and the dispatches seen running.
    """
    return tuple(billed_off_peak(completed, planned, started, now))


@dataclass(frozen=True, slots=True, weakref_slot=True)
class PriceModel:
    """Unit prices and standing charges of one meter, dispatch off-peak included.

    ``published``: the tariffs' own unit rates; ``intelligent``: when the tariff in force is
    Intelligent Octopus Go; ``off_peak``: the half-hours dispatches make off-peak there.
    ``timeline`` is the effective one: what every consumer reads.
    """

    published: RateTimeline
    standing_charges: tuple[StandingCharge, ...] = ()
    intelligent: tuple[Period, ...] = ()
    off_peak: tuple[Period, ...] = ()
    timeline: RateTimeline = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Price the dispatch half-hours once, when the model is built."""
        object.__setattr__(self, "timeline", self._effective())

    @classmethod
    def build(
        cls,
        published: RateTimeline,
        standing_charges: Iterable[StandingCharge],
        tariffs: Iterable[TariffPeriod],
        off_peak: Iterable[Period] = (),
    ) -> PriceModel:
        """The model of a meter from its tariffs, prices and dispatch off-peak half-hours."""
        return cls(
            published,
            tuple(standing_charges),
            intelligent_periods(tariffs),
            tuple(merge_periods((to_utc(a), to_utc(b)) for a, b in off_peak)),
        )

    def rate_at(self, instant: datetime) -> Rate | None:
        """The effective unit rate in force at ``instant``."""
        return self.timeline.rate_at(instant)

    def unit_price(self, half_hour: datetime) -> Decimal | None:
        """p/kWh inc VAT of the half-hour starting at ``half_hour``; ``None`` while unknown."""
        rate = self.timeline.rate_at(half_hour)
        return None if rate is None else rate.value_inc_vat

    def standing_charge_at(self, instant: datetime) -> StandingCharge | None:
        """The standing charge in force at ``instant``."""
        return standing_charge_at(self.standing_charges, instant)

    def standing_charge(self, day: date) -> Decimal | None:
        """p/day inc VAT of UK day ``day``: the charge in force at its midnight, once a day."""
        charge = standing_charge_at(self.standing_charges, local_day_bounds(day, LONDON)[0])
        return None if charge is None else charge.value_inc_vat

    def is_dispatch_adjusted(self, rate: Rate) -> bool:
        """Whether an effective rate is a dispatch half-hour priced below the tariff's own."""
        own = self.published.rate_at(rate.valid_from)
        return own is not None and own.value_inc_vat != rate.value_inc_vat

    def _effective(self) -> RateTimeline:
        if not self.off_peak or not self.intelligent:
            return self.published
        cheapest: dict[date, Rate | None] = {}
        overrides: list[Rate] = []
        for start, end in self.off_peak:
            slot = start
            # Half-hour by half-hour: a merged period can run over midnight into another day.
            while slot < end:
                if any(a <= slot < b for a, b in self.intelligent):
                    day = local_date(slot, LONDON)
                    if day not in cheapest:
                        rates = self.published.day_rates(day, LONDON)
                        cheapest[day] = min(rates, key=lambda r: r.value_inc_vat) if rates else None
                    rate = cheapest[day]
                    if rate is not None:
                        overrides.append(
                            Rate(slot, slot + HALF_HOUR, rate.value_inc_vat, rate.value_exc_vat)
                        )
                slot += HALF_HOUR
        return self.published.merge(overrides) if overrides else self.published
