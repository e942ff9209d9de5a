"""Home Mini telemetry derived from the import meter's half hours (Wh, W, pence)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from octopus_simulator.catalogue import RateKind, TariffKind, parse_tariff_code
from octopus_simulator.consumption import Interval
from octopus_simulator.prices import rate_at
from octopus_simulator.timeutil import HALF_HOUR, floor_half_hour, iso_offset, local_date

if TYPE_CHECKING:
    from octopus_simulator.app import Simulator
    from octopus_simulator.scenario import ElectricityMeterPoint

GROUPING_SECONDS = {
    "TEN_SECONDS": 10,
    "ONE_MINUTE": 60,
    "FIVE_MINUTES": 300,
    "FIFTEEN_MINUTES": 900,
    "THIRTY_MINUTES": 1800,
    "HALF_HOURLY": 1800,
    "ONE_HOUR": 3600,
}
REGISTER_BASE_WH = Decimal(12_345_678)  # what the meter read when our data begins
LATEST_READING_LAG = timedelta(seconds=20)  # the Home Mini reports every 10 s, a little late


class _Meter:
    """Cumulative register and per-slot energy of one MPAN, with per-day totals cached."""

    def __init__(self, sim: Simulator, point: ElectricityMeterPoint) -> None:
        self._sim = sim
        self.point = point
        self._slots: dict[date, list[Interval]] = {}
        # Per local day: Wh before the day, then after each of its half hours.
        self._running: dict[date, list[Decimal]] = {}

    def slots(self, day: date) -> list[Interval]:
        if day not in self._slots:
            self._slots[day] = self._sim.slots(self.point.mpan, day)
        return self._slots[day]

    def _day_running(self, day: date) -> list[Decimal]:
        running = self._running.get(day)
        if running is None:
            running = [REGISTER_BASE_WH + self._sim.day_totals_wh(self.point.mpan, day)]
            for row in self.slots(day):
                running.append(running[-1] + row.value * 1000)
            self._running[day] = running
        return running

    def register_wh(self, instant: datetime) -> Decimal:
        """Cumulative Wh from the start of data up to ``instant``."""
        start = self.point.data_from
        if instant <= start:
            return REGISTER_BASE_WH
        day = local_date(instant)
        rows = self.slots(day)
        running = self._day_running(day)
        # Half hours are contiguous and in order: those ended by ``instant`` come first.
        ended = bisect_right([row.end for row in rows], instant) if rows else 0
        total = running[ended]
        if ended < len(rows) and rows[ended].start < instant:
            row = rows[ended]
            total += row.value * 1000 * Decimal((instant - row.start) / HALF_HOUR)
        return total

    def between_wh(self, start: datetime, end: datetime) -> Decimal:
        return self.register_wh(end) - self.register_wh(start)


def _round(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def readings(
    sim: Simulator,
    import_point: ElectricityMeterPoint,
    export_point: ElectricityMeterPoint | None,
    start: datetime,
    end: datetime,
    seconds: int,
) -> list[dict[str, Any]]:
    """Grouped readings over ``[start, end)``; ``readAt`` is each group's start."""
    meter = _Meter(sim, import_point)
    export = _Meter(sim, export_point) if export_point is not None else None
    prices: dict[datetime, tuple[Decimal, Decimal]] = {}
    step = timedelta(seconds=seconds)
    epoch = datetime(2000, 1, 1, tzinfo=start.tzinfo)
    at = epoch + ((start - epoch) // step) * step  # align groups to the grouping
    rows: list[dict[str, Any]] = []
    while at < end:
        delta = meter.between_wh(at, at + step)
        slot = floor_half_hour(at)
        if slot not in prices:
            prices[slot] = _price(sim, import_point, slot)
        exc, inc = prices[slot]
        rows.append(
            {
                "readAt": iso_offset(at),
                "consumption": _round(meter.register_wh(at + step)),
                "consumptionDelta": _round(delta),
                "demand": _round(delta * 3600 / seconds),
                "export": _round(export.register_wh(at + step) if export else Decimal(0)),
                "costDelta": _round(delta / 1000 * exc),
                "costDeltaWithTax": _round(delta / 1000 * inc),
            }
        )
        at += step
    return rows


def latest(
    sim: Simulator,
    import_point: ElectricityMeterPoint,
    export_point: ElectricityMeterPoint | None,
    *,
    at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The most recent ten-second reading (as of ``at``: a Home Mini that went quiet then)."""
    now = (at if at is not None else sim.now()) - LATEST_READING_LAG
    start = now.replace(second=now.second - now.second % 10, microsecond=0)
    return readings(sim, import_point, export_point, start, start + timedelta(seconds=10), 10)


def _price(sim: Simulator, point: ElectricityMeterPoint, slot: datetime) -> tuple[Decimal, Decimal]:
    for agreement in point.agreements:
        if agreement.active_at(slot):
            tariff = parse_tariff_code(agreement.tariff_code)
            if tariff is None:
                break
            kind = RateKind.STANDARD
            if tariff.kind is TariffKind.E2R:
                # Economy 7: which register a half hour bills to follows the meter's night window.
                night = sim.scenario.choices.night_window(point.mpan).is_night(slot)
                kind = RateKind.NIGHT if night else RateKind.DAY
            row = rate_at(
                tariff,
                kind,
                slot,
                seed=sim.scenario.seed,
                rules=sim.scenario.publication,
            )
            if row is not None:
                return row.value_exc_vat, row.value_inc_vat
    return Decimal(0), Decimal(0)
