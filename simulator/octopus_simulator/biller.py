"""An independent bill: what each UK day of a meter costs, computed plainly from the scenario.

This is the oracle for the integration's cost statistics, so it shares nothing with the
integration and keeps every rule visible in one place:

- Units: each half-hour's metered quantity times the unit rate the API publishes for it,
  including VAT (``value_inc_vat``, as published to 4 decimals). Export earns the export rate
  (no VAT) and is income.
- The tariff of a half-hour is the agreement in force at its start; the standing charge of a UK
  day is the one published for the agreement in force at the day's first instant (local
  midnight), once per day whatever the day's length (23, 24 or 25 hours) and whatever was metered.
- Economy 7 (``E-2R``): the night rate inside the meter's night window (00:30-07:30 UTC by
  default, as many smart meters keep it; the scenario's switch may set another, in UTC or UK
  clock time), the day rate elsewhere.
- Intelligent Octopus Go: a half-hour that any completed *smart* dispatch overlaps, even by a
  minute, is billed whole at the off-peak rate; the fixed window (23:30-05:30 UK time) is
  off-peak anyway and uses no allowance; outside it at most ``EXTENDED_OFF_PEAK_CAP`` of
  dispatch half-hours per UK day are billed off-peak, earliest first, the rest at the normal
  rate. Boosts (``bump-charge``) are billed at the normal (peak) rate and use no allowance.
  Planned dispatches never count: only what completed (a withdrawn plan never completes).
  A day's bill is final: it counts every dispatch that touched the day, including one that
  began that evening and was listed as completed only the day after next.
- Gas from an m³ meter: kWh = m³ x 1.02264 x calorific value (MJ/m³) / 3.6, not rounded.
- Rounding: amounts stay exact until a *line* of the bill is formed; each line (the units of one
  tariff and register on the day, or the day's standing charge) is rounded to the penny, half
  up. ``DayBill.total`` adds the rounded lines, ``DayBill.exact`` the unrounded amounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from octopus_simulator.catalogue import Pricing, RateKind, TariffKind, parse_tariff_code
from octopus_simulator.consumption import slot_values
from octopus_simulator.dispatches import completed_dispatches
from octopus_simulator.prices import rate_rows
from octopus_simulator.scenario import Agreement, Device, Scenario
from octopus_simulator.timeutil import DAY, HALF_HOUR, LONDON, local_at

VOLUME_CORRECTION = Decimal("1.02264")
DEFAULT_CALORIFIC_VALUE = Decimal("39.5")  # MJ/m³; the integration's default option too
E7_NIGHT_UTC = (time(0, 30), time(7, 30))
IOG_OFF_PEAK_LOCAL = (time(23, 30), time(5, 30))
EXTENDED_OFF_PEAK_CAP = 12  # half-hours (6 hours) of dispatch off-peak outside the window a day
PENNY = Decimal(1)


def round_penny(pence: Decimal) -> Decimal:
    """Pence rounded to a whole penny, half up (how a bill line is rounded)."""
    return pence.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Dispatch:
    """A completed dispatch; ``boost`` for a bump charge."""

    start: datetime
    end: datetime
    boost: bool = False


@dataclass(frozen=True, slots=True)
class PublishedRate:
    """The unit rate of a half-hour as published, with where it came from."""

    tariff_code: str
    register: str  # "standard", "day", "night" or "gas"
    price: Decimal  # p/kWh inc VAT


@dataclass(frozen=True, slots=True)
class BilledHalfHour:
    """One half-hour of the bill: quantity (kWh), price used and exact cost (pence)."""

    start: datetime
    kwh: Decimal
    price: Decimal | None  # None: no published price (the day cannot be billed)
    tariff_code: str | None
    register: str  # a "dispatch" register marks Intelligent Go dispatch off-peak
    cost: Decimal | None


@dataclass(frozen=True, slots=True)
class BillLine:
    """A line of the bill: units of one tariff and register, or the standing charge."""

    description: str
    quantity: Decimal  # kWh, or 1 day for the standing charge
    exact: Decimal  # pence
    amount: Decimal  # pence, rounded per line

    def as_dict(self) -> dict[str, str]:
        """JSON-friendly form."""
        return {
            "description": self.description,
            "quantity": str(self.quantity),
            "exact_pence": str(self.exact),
            "amount_pence": str(self.amount),
        }


@dataclass(frozen=True, slots=True)
class DayBill:
    """The charges of one UK day of one meter (``income`` for export)."""

    meter: str
    day: date
    income: bool
    half_hours: tuple[BilledHalfHour, ...]
    standing_charge: Decimal | None  # pence inc VAT; None for export meters or when unpublished
    lines: tuple[BillLine, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """Every half-hour priced (the day's bill can be stated)."""
        return all(h.cost is not None for h in self.half_hours)

    @property
    def exact(self) -> Decimal:
        """Unrounded total in pence (units plus standing charge)."""
        return sum((line.exact for line in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        """Total in pence as the bill shows it: the sum of lines rounded to the penny."""
        return sum((line.amount for line in self.lines), Decimal(0))

    def hourly(self) -> dict[datetime, Decimal]:
        """Exact pence per UTC hour, the standing charge in the hour of the UK day's start.

        That is the Energy dashboard's convention (a day's standing charge shows in its first
        hour); a bill has no hours, so only the day's sum is comparable with one.
        """
        hours: dict[datetime, Decimal] = {}
        for half in self.half_hours:
            hour = half.start.replace(minute=0)
            hours[hour] = hours.get(hour, Decimal(0)) + (half.cost or Decimal(0))
        if self.standing_charge is not None:
            first = local_at(self.day)
            hours[first] = hours.get(first, Decimal(0)) + self.standing_charge
        return dict(sorted(hours.items()))

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form (the ``/_sim/bill`` answer for one day)."""
        return {
            "meter": self.meter,
            "date": self.day.isoformat(),
            "income": self.income,
            "complete": self.complete,
            "standing_charge_pence": None
            if self.standing_charge is None
            else str(self.standing_charge),
            "lines": [line.as_dict() for line in self.lines],
            "exact_pence": str(self.exact),
            "total_pence": str(self.total),
            "hourly_pence": {h.isoformat(): str(v) for h, v in self.hourly().items()},
            "half_hours": [
                {
                    "start": h.start.isoformat(),
                    "kwh": str(h.kwh),
                    "price": None if h.price is None else str(h.price),
                    "register": h.register,
                    "cost_pence": None if h.cost is None else str(h.cost),
                }
                for h in self.half_hours
            ],
        }


# --- The rules, on plain inputs ------------------------------------------------------------------


def in_night_window(
    start: datetime, window: tuple[time, time] = E7_NIGHT_UTC, *, uk_time: bool = False
) -> bool:
    """Whether a half-hour starting at ``start`` is in the Economy 7 night window.

    The window's times are UTC, or UK clock time with ``uk_time``; an end before the start
    means the next morning (23:00-06:00).
    """
    clock = start.astimezone(LONDON if uk_time else UTC).time()
    if window[0] < window[1]:
        return window[0] <= clock < window[1]
    return clock >= window[0] or clock < window[1]


def in_fixed_off_peak(start: datetime) -> bool:
    """Whether a half-hour starting at ``start`` is in Intelligent Go's 23:30-05:30 UK window."""
    clock = start.astimezone(LONDON).time()
    return clock >= IOG_OFF_PEAK_LOCAL[0] or clock < IOG_OFF_PEAK_LOCAL[1]


def dispatch_off_peak(
    half_hours: Iterable[datetime],
    dispatches: Iterable[Dispatch],
    cap: int = EXTENDED_OFF_PEAK_CAP,
) -> set[datetime]:
    """Half-hours outside the fixed window billed off-peak because a smart dispatch touched them.

    ``half_hours`` are the starts of one UK day; any overlap counts; at most ``cap`` of them, the
    earliest first.
    """
    smart = [d for d in dispatches if not d.boost]
    chosen: set[datetime] = set()
    for start in sorted(half_hours):
        if len(chosen) >= cap:
            break
        if in_fixed_off_peak(start):
            continue
        end = start + HALF_HOUR
        if any(d.start < end and d.end > start for d in smart):
            chosen.add(start)
    return chosen


def bill_from(
    meter: str,
    day: date,
    usage: Sequence[tuple[datetime, Decimal]],
    rate_of: Callable[[datetime], PublishedRate | None],
    standing: PublishedRate | None,
    *,
    income: bool = False,
    intelligent: Callable[[datetime], bool] | None = None,
    dispatches: Sequence[Dispatch] = (),
    off_peak_of: Callable[[datetime], Decimal | None] | None = None,
) -> DayBill:
    """The bill of one UK day from plain inputs.

    ``usage``: (half-hour start, kWh) of the day. ``rate_of``: the published rate of a half-hour.
    ``intelligent(start)``: whether that half-hour's tariff is Intelligent Go, whose dispatch
    half-hours are billed at ``off_peak_of(start)``.
    """
    rerated: set[datetime] = set()
    if intelligent is not None:
        rerated = dispatch_off_peak((s for s, _ in usage if intelligent(s)), dispatches)
    billed: list[BilledHalfHour] = []
    for start, kwh in sorted(usage):
        rate = rate_of(start)
        price = None if rate is None else rate.price
        register = "unpriced" if rate is None else rate.register
        if start in rerated and off_peak_of is not None:
            price, register = off_peak_of(start), "dispatch off-peak"
        cost = None if price is None else kwh * price
        code = None if rate is None else rate.tariff_code
        billed.append(BilledHalfHour(start, kwh, price, code, register, cost))
    lines: list[BillLine] = []
    keys = sorted({(h.tariff_code or "", h.register) for h in billed if h.cost is not None})
    for code, register in keys:
        picked = [h for h in billed if (h.tariff_code or "") == code and h.register == register]
        exact = sum((h.cost for h in picked if h.cost is not None), Decimal(0))
        quantity = sum((h.kwh for h in picked), Decimal(0))
        lines.append(BillLine(f"{code} {register}", quantity, exact, round_penny(exact)))
    charge = None if income or standing is None else standing.price
    if charge is not None and standing is not None:
        lines.append(
            BillLine(
                f"{standing.tariff_code} standing charge", Decimal(1), charge, round_penny(charge)
            )
        )
    return DayBill(meter, day, income, tuple(billed), charge, tuple(lines))


# --- The scenario's facts ------------------------------------------------------------------------


def gas_kwh(m3: Decimal, calorific_value: Decimal = DEFAULT_CALORIFIC_VALUE) -> Decimal:
    """Energy of a gas volume: m³ x 1.02264 x calorific value / 3.6."""
    return m3 * VOLUME_CORRECTION * calorific_value / Decimal("3.6")


def _agreement_at(agreements: Iterable[Agreement], instant: datetime) -> Agreement | None:
    return next((a for a in agreements if a.active_at(instant)), None)


class _Prices:
    """Published rows of one tariff and charge kind, looked up by instant (one fetch per day)."""

    def __init__(self, scenario: Scenario, code: str, kind: RateKind, day: date) -> None:
        tariff = parse_tariff_code(code)
        if tariff is None:
            raise ValueError(f"unknown tariff {code}")
        start, end = local_at(day), local_at(day + DAY)
        # Everything about the day is published two days later.
        self.rows = list(
            rate_rows(
                tariff,
                kind,
                seed=scenario.seed,
                now=local_at(day + 2 * DAY),
                rules=scenario.publication,
                period_from=start,
                period_to=end,
            )
        )

    def at(self, instant: datetime) -> Decimal | None:
        for row in self.rows:
            if row.valid_from <= instant and (row.valid_to is None or instant < row.valid_to):
                return row.value_inc_vat
        return None


def bill_day(
    scenario: Scenario,
    meter: str,
    day: date,
    *,
    calorific_value: Decimal = DEFAULT_CALORIFIC_VALUE,
    night_window: tuple[time, time] | None = None,
    tariff_code: str | None = None,
) -> DayBill:
    """The bill of UK day ``day`` for an MPAN or MPRN of the scenario.

    ``night_window`` (UTC times) overrides the meter's Economy 7 night as the scenario's
    switches set it (00:30-07:30 UTC by default). ``tariff_code``: bill the meter's consumption
    as if that tariff had been in force all day (what a tariff comparison would have cost)
    instead of the meter's own agreements.
    """
    uk_night = False
    if night_window is None:
        chosen = scenario.choices.night_window(meter)
        night_window, uk_night = (chosen.start, chosen.end), chosen.zone != "UTC"
    devices: list[Device] = []
    try:
        account, prop, point = scenario.electricity_point(meter)
        agreements, income, gas = point.agreements, point.direction == "EXPORT", False
        devices = [d for d in account.devices if d.property_id == prop.id]
        m3 = False
    except KeyError:
        gas_point = scenario.gas_point(meter)[2]
        agreements, income, gas = gas_point.agreements, False, True
        m3 = any(m.consumption_units != "kWh" for m in gas_point.meters if m.active)
    if tariff_code is not None:
        agreements = [Agreement(0, tariff_code, datetime(2000, 1, 1, tzinfo=UTC))]
    rows = slot_values(scenario, meter, day)
    usage = [(r.start, gas_kwh(r.value, calorific_value) if m3 else r.value) for r in rows]
    cache: dict[tuple[str, RateKind], _Prices] = {}

    def prices(code: str, kind: RateKind) -> _Prices:
        if (code, kind) not in cache:
            cache[code, kind] = _Prices(scenario, code, kind, day)
        return cache[code, kind]

    def rate_of(start: datetime) -> PublishedRate | None:
        agreement = _agreement_at(agreements, start)
        if agreement is None:
            return None
        code = agreement.tariff_code
        tariff = parse_tariff_code(code)
        if tariff is None:
            return None
        if tariff.kind is TariffKind.E2R:
            night = in_night_window(start, night_window, uk_time=uk_night)
            kind, register = (RateKind.NIGHT, "night") if night else (RateKind.DAY, "day")
        else:
            kind, register = RateKind.STANDARD, "gas" if gas else "standard"
        price = prices(code, kind).at(start)
        return None if price is None else PublishedRate(code, register, price)

    def intelligent(start: datetime) -> bool:
        agreement = _agreement_at(agreements, start)
        tariff = parse_tariff_code(agreement.tariff_code) if agreement else None
        return tariff is not None and tariff.product.pricing is Pricing.INTELLIGENT_GO

    def off_peak_of(start: datetime) -> Decimal | None:
        # The off-peak rate of the UK day: the rate published for its local midnight, which is
        # inside the fixed window (quarters change at local midnight, so it is the day's rate).
        agreement = _agreement_at(agreements, start)
        if agreement is None:
            return None
        return prices(agreement.tariff_code, RateKind.STANDARD).at(local_at(day))

    # Every dispatch that touched the day, as finally reported. A session plugged in on the
    # evening of ``day`` may charge until the next evening (a slow car), and Octopus lists a
    # dispatch only ``completed_lag`` after it ended: asked too early, the list misses the
    # evening's dispatch, whose half-hours still count in this day's cap.
    reported_at = local_at(day + 2 * DAY) + scenario.dispatch.completed_lag
    dispatches = [
        Dispatch(w.start, w.end, boost=w.source == "bump-charge")
        for w in completed_dispatches(scenario.seed, devices, reported_at, scenario.dispatch)
    ]
    first = local_at(day)
    agreement = _agreement_at(agreements, first)
    standing = None
    if agreement is not None:
        charge = prices(agreement.tariff_code, RateKind.STANDING).at(first)
        if charge is not None:
            standing = PublishedRate(agreement.tariff_code, "standing", charge)
    return bill_from(
        meter,
        day,
        usage,
        rate_of,
        standing,
        income=income,
        intelligent=intelligent,
        dispatches=dispatches,
        off_peak_of=off_peak_of,
    )


def bill_days(
    scenario: Scenario,
    meter: str,
    first: date,
    last: date,
    *,
    calorific_value: Decimal = DEFAULT_CALORIFIC_VALUE,
    night_window: tuple[time, time] | None = None,
    tariff_code: str | None = None,
) -> list[DayBill]:
    """Bills of the UK days ``first`` to ``last`` inclusive (on ``tariff_code`` if given)."""
    bills: list[DayBill] = []
    day = first
    while day <= last:
        bill = bill_day(
            scenario,
            meter,
            day,
            calorific_value=calorific_value,
            night_window=night_window,
            tariff_code=tariff_code,
        )
        bills.append(bill)
        day += timedelta(days=1)
    return bills
