"""What the rates coordinator keeps: the timeline, standing charges and the tariffs behind them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
import logging

from ..api.models import Agreement, Fuel, Rate, StandingCharge
from .tariff_codes import InvalidTariffCodeError, TariffKind, parse_tariff_code
from .time import Period, merge_periods, to_utc
from .timeline import RateTimeline, standing_charge_at

FAR_FUTURE = datetime.max.replace(tzinfo=UTC)
FAR_PAST = datetime.min.replace(tzinfo=UTC)
# After a tariff starts or ends, look again this soon (the new tariff's prices).
AFTER_TARIFF_CHANGE = timedelta(minutes=3)
# The integration's logger (this module lives in its ``domain`` package).
_LOGGER = logging.getLogger(__name__.rpartition(".domain")[0])


@dataclass(frozen=True, slots=True)
class TariffPeriod:
    """A tariff in force over ``[valid_from, valid_to)`` (``None``: unbounded)."""

    tariff_code: str
    product_code: str
    registers: int
    kind: TariffKind
    valid_from: datetime | None
    valid_to: datetime | None

    def overlap(self, start: datetime, end: datetime) -> Period | None:
        """The part of ``[start, end)`` this tariff covers, if any."""
        lo = start if self.valid_from is None else max(start, self.valid_from)
        hi = end if self.valid_to is None else min(end, self.valid_to)
        return (lo, hi) if lo < hi else None

    def in_force(self, instant: datetime) -> bool:
        """Whether the tariff applies at ``instant``."""
        return (self.valid_from is None or self.valid_from <= instant) and (
            self.valid_to is None or instant < self.valid_to
        )


def tariff_periods(agreements: Iterable[Agreement], fuel: Fuel) -> tuple[TariffPeriod, ...]:
    """The meter's agreements as tariff periods; unreadable tariff codes are skipped."""
    periods: list[TariffPeriod] = []
    for agreement in agreements:
        try:
            code = parse_tariff_code(agreement.tariff.tariff_code)
        except InvalidTariffCodeError:
            _LOGGER.warning("Ignoring unreadable tariff code %s", agreement.tariff.tariff_code)
            continue
        if code.fuel is not fuel:
            continue
        product = agreement.tariff.product_code or code.product_code
        periods.append(
            TariffPeriod(
                tariff_code=code.code,
                product_code=product,
                registers=code.registers,
                kind=code.kind,
                valid_from=agreement.valid_from,
                valid_to=agreement.valid_to,
            )
        )
    return tuple(periods)


def tariff_at(tariffs: Sequence[TariffPeriod], instant: datetime) -> TariffPeriod | None:
    """The tariff in force at ``instant`` (the latest starting one if several overlap)."""
    found = [tariff for tariff in tariffs if tariff.in_force(instant)]
    return found[-1] if found else None


def first_difference(
    old: Sequence[TariffPeriod], new: Sequence[TariffPeriod], start: datetime, end: datetime
) -> datetime | None:
    """The earliest instant in ``[start, end)`` where the tariff in force differs, or ``None``."""
    points = {start}
    for tariff in (*old, *new):
        for edge in (tariff.valid_from, tariff.valid_to):
            if edge is not None and start < edge < end:
                points.add(edge)
    for point in sorted(points):
        a, b = tariff_at(old, point), tariff_at(new, point)
        if (a and a.tariff_code) != (b and b.tariff_code):
            return point
    return None


def covered_by_tariffs(
    tariffs: Sequence[TariffPeriod], start: datetime, end: datetime
) -> list[Period]:
    """The parts of ``[start, end)`` some tariff covers (where prices can exist at all)."""
    return merge_periods(
        overlap for tariff in tariffs if (overlap := tariff.overlap(start, end)) is not None
    )


def clip_rates(rates: Iterable[Rate], start: datetime, end: datetime | None) -> list[Rate]:
    """Rates cut to ``[start, end)`` (``end=None``: no upper bound), empty ones dropped."""
    out: list[Rate] = []
    for rate in rates:
        lo = max(rate.valid_from, start)
        if rate.valid_to is None:
            hi = end
        else:
            hi = rate.valid_to if end is None else min(rate.valid_to, end)
        if hi is not None and hi <= lo:
            continue
        out.append(
            rate
            if (lo, hi) == (rate.valid_from, rate.valid_to)
            else replace(rate, valid_from=lo, valid_to=hi)
        )
    return out


def clip_charges(
    charges: Iterable[StandingCharge], start: datetime | None, end: datetime | None
) -> list[StandingCharge]:
    """Standing charges cut to a tariff's validity (``None`` bounds: unbounded)."""
    out: list[StandingCharge] = []
    for charge in charges:
        lo = _latest(charge.valid_from, start)
        hi = _earliest(charge.valid_to, end)
        if lo is not None and hi is not None and hi <= lo:
            continue
        out.append(replace(charge, valid_from=lo, valid_to=hi))
    return out


def charges_cover(charges: Iterable[StandingCharge], start: datetime, end: datetime) -> bool:
    """Whether some standing charge is in force at every instant of ``[start, end)``."""
    cursor = start
    for charge in sorted(charges, key=lambda c: c.valid_from or start):
        if charge.valid_from is not None and charge.valid_from > cursor:
            break
        if charge.valid_to is None:
            return True
        cursor = max(cursor, charge.valid_to)
        if cursor >= end:
            return True
    return cursor >= end


@dataclass(frozen=True, slots=True)
class HeldPrices:
    """One tariff's unit rates and standing charges over ``period``, already known (no request)."""

    period: Period
    rates: tuple[Rate, ...]
    standing_charges: tuple[StandingCharge, ...]


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


@dataclass(frozen=True, slots=True)
class RatesData:
    """The unit rates and standing charges of one meter, as far as fetched.

    ``timeline`` holds the tariffs' own unit rates (Economy 7 registers already combined);
    dispatch off-peak pricing is layered on by the coordinator. ``fetched`` is the coverage
    the API has already answered for, so a period it had nothing for is not asked again.
    """

    timeline: RateTimeline
    standing_charges: tuple[StandingCharge, ...]
    tariffs: tuple[TariffPeriod, ...]
    fetched: tuple[Period, ...] = ()
    rates_checked_at: datetime | None = None
    standing_checked_at: datetime | None = None

    def standing_charge_at(self, instant: datetime) -> StandingCharge | None:
        """The standing charge in force at ``instant``."""
        return standing_charge_at(self.standing_charges, instant)

    def tariff_at(self, instant: datetime) -> TariffPeriod | None:
        """The tariff in force at ``instant``."""
        return tariff_at(self.tariffs, to_utc(instant))

    def held_prices(self, tariff_code: str, start: datetime, end: datetime) -> HeldPrices | None:
        """The tail of ``[start, end)`` whose prices for ``tariff_code`` are all held, if any.

        Only the coverage the API answered for counts; the tariff must be in force throughout
        and both unit rates and standing charges known for every instant.
        """
        start, end = to_utc(start), to_utc(end)
        window = next((p for p in self.fetched if p[0] < end <= p[1]), None)
        if window is None:
            return None
        lo = max(start, window[0])
        if lo >= end or not self._in_force_throughout(tariff_code, lo, end):
            return None
        if not self.timeline.covers(lo, end):
            return None
        charges = clip_charges(self.standing_charges, lo, end)
        if not charges_cover(charges, lo, end):
            return None
        return HeldPrices((lo, end), tuple(self.timeline.rates_between(lo, end)), tuple(charges))

    def _in_force_throughout(self, tariff_code: str, start: datetime, end: datetime) -> bool:
        points = {start}
        for tariff in self.tariffs:
            for edge in (tariff.valid_from, tariff.valid_to):
                if edge is not None and start < edge < end:
                    points.add(edge)
        return all(
            (found := tariff_at(self.tariffs, point)) is not None
            and found.tariff_code == tariff_code
            for point in points
        )


def inside(period: Period, covered: Sequence[Period]) -> bool:
    return any(a <= period[0] and period[1] <= b for a, b in covered)


def reconcile(
    previous: RatesData | None, tariffs: tuple[TariffPeriod, ...], now: datetime
) -> RatesData | None:
    """Keep what the cache knows up to the first instant where the tariff in force changed."""
    if previous is None or previous.tariffs == tariffs:
        return previous
    changed = first_difference(previous.tariffs, tariffs, FAR_PAST, FAR_FUTURE)
    if changed is None:
        return replace(previous, tariffs=tariffs)
    kept = clip_rates(previous.timeline.rates, FAR_PAST, changed)
    return RatesData(
        timeline=RateTimeline(kept),
        standing_charges=(),
        tariffs=tariffs,
        fetched=tuple((a, min(b, changed)) for a, b in previous.fetched if a < changed),
        rates_checked_at=None,
        standing_checked_at=None,
    )


def sooner_for_tariff_change(
    tariffs: Sequence[TariffPeriod], now: datetime, when: datetime
) -> datetime:
    """Look again just after a tariff starts or ends before ``when``."""
    edges = [
        edge
        for tariff in tariffs
        for edge in (tariff.valid_from, tariff.valid_to)
        if edge is not None and now < edge < when
    ]
    return min(edges) + AFTER_TARIFF_CHANGE if edges else when
