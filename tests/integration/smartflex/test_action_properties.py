"""Arbitrary inputs into every action: a result or a translated error, never a stack trace.

Hypothesis draws the inputs (well-formed and not: NaN, infinities, huge numbers, naive and
far-away datetimes, ends before starts, unknown entries and meters); each goes to
``get_rates``, ``find_cheapest_window`` and the SmartFlex controls of the Intelligent Go home.
Every failure must be one of our translated errors or the action schema's own refusal; nothing
may be logged at ERROR or with a traceback, and no statistic may appear.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
import logging
from typing import Any

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.recorder.statistics import list_statistic_ids
from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from hypothesis import given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
import voluptuous as vol

from custom_components.octopus_kraken.const import DOMAIN
from octopus_simulator.timeutil import local_at

from .conftest import BOOST, READY_BY, SMART, TARGET, SetUpAt

NOW = local_at(date(2025, 1, 8), time(18, 37))

PLAUSIBLE_NUMBERS = st.integers(1, 16).map(lambda halves: halves / 2)
NEAR_NOW = st.integers(-96, 96).map(
    lambda halves: (NOW.replace(minute=30) + timedelta(minutes=30 * halves)).isoformat()
)
WILD_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 0.5, 1, 2, 24, 168, 169, -1, 1e308, "nan", "inf", "-0", "2.25", "x"]),
)
NUMBERS = st.one_of(PLAUSIBLE_NUMBERS, WILD_NUMBERS)
WILD_DATETIMES = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ).map(lambda d: d.isoformat()),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda d: d.isoformat()
    ),
    st.sampled_from(
        [
            (NOW - timedelta(days=3)).isoformat(),
            (NOW + timedelta(hours=20)).isoformat(),
            (NOW + timedelta(days=2000)).isoformat(),
            "2025-01-08T19:00:00",
            "2025-03-30T01:30:00",  # skipped by the clock change
            "2025-10-26T01:30:00",  # repeated by the clock change
            "22:00",
            "24:00",
            "",
            "yesterday",
        ]
    ),
    st.text(max_size=12),
)
DATETIMES = st.one_of(NEAR_NOW, WILD_DATETIMES)
TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["import", "export", "gas", "IMPORT"]))


@pytest.fixture
def uses_statistics() -> bool:
    """The actions must leave the statistics untouched: the recorder runs."""
    return True


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(None), strategy)


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` examples drawn by hypothesis (a fixed seed, so every run sends the same)."""
    drawn: list[Any] = []

    @settings(max_examples=count, deadline=None, derandomize=True, database=None)
    @given(strategy)
    def draw(value: Any) -> None:
        drawn.append(value)

    draw()
    return drawn


def _payload(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict of the optional ``fields`` (a drawn None leaves the field out)."""
    return st.fixed_dictionaries({k: _maybe(v) for k, v in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


GET_RATES = _payload(meter=TEXT, start=DATETIMES, end=DATETIMES) | st.fixed_dictionaries(
    {"start": NEAR_NOW, "end": NEAR_NOW}
)
CHEAPEST = _payload(
    meter=TEXT,
    start=DATETIMES,
    end=DATETIMES,
    hours=NUMBERS,
    duration=NUMBERS,
    mode=st.sampled_from(["continuous", "intermittent", "x"]),
    target=st.sampled_from(["cheapest", "most_expensive", "x"]),
    max_price=NUMBERS,
    min_price=NUMBERS,
    prefer_latest=st.one_of(st.booleans(), st.text(max_size=4)),
    start_offset=NUMBERS,
    allow_partial=st.booleans(),
) | st.fixed_dictionaries(
    {"duration": PLAUSIBLE_NUMBERS, "hours": st.integers(4, 30).map(float)},
    optional={
        "mode": st.sampled_from(["continuous", "intermittent"]),
        "max_price": st.floats(-1, 1),
        "start_offset": st.integers(-120, 120),
    },
)
SWITCHES = st.tuples(
    st.just("switch"),
    st.sampled_from([SERVICE_TURN_ON, SERVICE_TURN_OFF]),
    st.sampled_from([BOOST, SMART]),
    st.just({}),
)
TARGETS = st.tuples(
    st.just("number"),
    st.just(SERVICE_SET_VALUE),
    st.just(TARGET),
    st.one_of(st.integers(2, 20).map(lambda v: v * 5), NUMBERS).map(lambda v: {ATTR_VALUE: v}),
)
READY_BY_TIMES = st.tuples(
    st.just("time"),
    st.just("set_value"),
    st.just(READY_BY),
    st.one_of(
        st.integers(8, 22).map(lambda h: f"{h // 2:02d}:{h % 2 * 30:02d}"),
        st.times().map(lambda t: t.isoformat()),
        DATETIMES,
    ).map(lambda v: {ATTR_TIME: v}),
)


def _ours_or_the_schemas(err: Exception) -> bool:
    """A refusal a user can read: our translated errors, or the action schema's own."""
    if isinstance(err, vol.Invalid):
        return True
    return isinstance(err, HomeAssistantError) and err.translation_key is not None


async def _statistic_ids(hass: HomeAssistant) -> list[dict[str, Any]]:
    await async_wait_recording_done(hass)
    from homeassistant.components.recorder import get_instance

    return await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)


@pytest.fixture
async def loaded(set_up_at: SetUpAt) -> MockConfigEntry:
    """The Intelligent Go entry, set up at 18:37 with the car plugged in."""
    return await set_up_at(NOW)


async def test_arbitrary_action_inputs_give_results_or_translated_errors(
    hass: HomeAssistant, loaded: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    statistics_before = await _statistic_ids(hass)
    entry_ids = [loaded.entry_id, "not-an-entry"]
    refused: dict[str, list[str]] = {}
    unexpected: list[str] = []
    answered: dict[str, int] = {}

    async def attempt(name: str, domain: str, service: str, data: dict[str, Any]) -> None:
        try:
            await hass.services.async_call(
                domain, service, data, blocking=True, return_response=domain == DOMAIN
            )
            answered[name] = answered.get(name, 0) + 1
        except Exception as err:
            if not _ours_or_the_schemas(err):  # pragma: no cover - a failure
                unexpected.append(f"{name} {data!r}: {err!r}")
            refused.setdefault(name, []).append(type(err).__name__)
        await hass.async_block_till_done()

    for index, data in enumerate(collect(GET_RATES, 80)):
        data["config_entry_id"] = entry_ids[index % 7 == 6]
        await attempt("get_rates", DOMAIN, "get_rates", data)
    for index, data in enumerate(collect(CHEAPEST, 120)):
        data["config_entry_id"] = entry_ids[index % 7 == 6]
        await attempt("find_cheapest_window", DOMAIN, "find_cheapest_window", data)
    controls = collect(SWITCHES, 12) + collect(TARGETS, 30) + collect(READY_BY_TIMES, 40)
    for domain, service, entity_id, data in controls:
        await attempt(entity_id, domain, service, {ATTR_ENTITY_ID: entity_id, **data})

    assert unexpected == []
    # The inputs reached both the error paths and the answers of every action.
    assert set(refused) >= {"get_rates", "find_cheapest_window"}
    assert set(answered) >= {"get_rates", "find_cheapest_window", BOOST, SMART, TARGET, READY_BY}
    troubles = [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info
    ]
    assert troubles == []
    assert await _statistic_ids(hass) == statistics_before
