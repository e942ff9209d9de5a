"""The clock, the command line, the background-thread runner and small helpers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
import json
import threading
import urllib.request

from freezegun import freeze_time
import pytest

from octopus_simulator import __main__ as cli
from octopus_simulator.app import Simulator
from octopus_simulator.clock import ClockMode, SimClock
from octopus_simulator.scenario import (
    AGILE_IMPORT_MPAN,
    default_scenario,
    is_valid_mpan,
    make_mpan,
    mpan_check_digit,
)
from octopus_simulator.server import run_in_thread
from octopus_simulator.timeutil import iso_z, next_quarter_start, parse_api_datetime, quarter_start


def test_the_clock_follows_frozen_system_time_until_set() -> None:
    clock = SimClock()
    with freeze_time("2025-02-03 04:05:06"):
        assert clock.now() == datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
        assert type(clock.now()) is datetime  # freezegun's subclass is normalised away
        clock.advance(timedelta(hours=1))
        assert clock.now() == datetime(2025, 2, 3, 5, 5, 6, tzinfo=UTC)
        assert clock.offset == timedelta(hours=1)
        clock.set(datetime(2030, 1, 1, tzinfo=UTC))
        assert clock.mode is ClockMode.FIXED
        clock.advance(timedelta(minutes=1))
        assert clock.now() == datetime(2030, 1, 1, 0, 1, tzinfo=UTC)
        clock.follow_system()
        assert clock.now() == datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.set(datetime(2025, 1, 1))
    assert SimClock(datetime(2025, 1, 1, tzinfo=UTC)).now() == datetime(2025, 1, 1, tzinfo=UTC)


def test_mpan_check_digits() -> None:
    assert is_valid_mpan(AGILE_IMPORT_MPAN)
    assert mpan_check_digit("120001234567") == int(AGILE_IMPORT_MPAN[-1])
    assert is_valid_mpan(make_mpan("200002451236"))
    assert not is_valid_mpan(AGILE_IMPORT_MPAN[:-1] + str((int(AGILE_IMPORT_MPAN[-1]) + 1) % 10))
    assert not is_valid_mpan("12345")
    with pytest.raises(ValueError):
        mpan_check_digit("12")


def test_datetime_helpers() -> None:
    assert parse_api_datetime("2025-06-01T00:00") == datetime(2025, 5, 31, 23, tzinfo=UTC)
    assert parse_api_datetime("2025-06-01T00:00Z") == datetime(2025, 6, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_api_datetime(" ")
    assert iso_z(datetime(2025, 6, 1, 1, tzinfo=UTC)) == "2025-06-01T01:00:00Z"
    assert quarter_start(date(2025, 8, 9)) == date(2025, 7, 1)
    assert next_quarter_start(date(2025, 11, 9)) == date(2026, 1, 1)


def test_the_command_line_builds_a_simulator() -> None:
    args = cli.parse_args(
        ["--port", "0", "--seed", "7", "--now", "2025-06-18T12:00:00Z", "--api-key", "k"]
    )
    sim = cli.build_simulator(args)
    assert sim.scenario.seed == 7
    assert sim.scenario.users[0].api_key == "k"
    assert sim.now() == datetime(2025, 6, 18, 12, tzinfo=UTC)
    ticking = cli.build_simulator(cli.parse_args(["--now", "2025-06-18T12:00:00Z", "--tick"]))
    assert ticking.clock.mode is ClockMode.FOLLOW
    assert abs(ticking.now() - datetime(2025, 6, 18, 12, tzinfo=UTC)) < timedelta(seconds=5)
    assert cli.build_simulator(cli.parse_args([])).clock.mode is ClockMode.FOLLOW


def test_the_command_line_serves_until_interrupted(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    socket_enabled: None,
) -> None:
    async def stop_soon(args) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.ensure_future(original(args))
        await asyncio.sleep(0.5)
        assert not task.done(), task
        task.cancel()
        raise KeyboardInterrupt

    original = cli.serve
    monkeypatch.setattr(cli, "serve", stop_soon)
    # asyncio.run in a thread of its own leaves the test runner's event loop alone.
    thread = threading.Thread(
        target=cli.main, args=(["--port", "0", "--now", "2025-06-18T12:00:00Z"],)
    )
    thread.start()
    thread.join(timeout=30)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:" in out
    assert "sk_test_simulator" in out


def test_the_simulator_runs_in_a_background_thread(socket_enabled) -> None:
    simulator = Simulator(default_scenario(3))
    simulator.clock.set(datetime(2025, 6, 18, 12, tzinfo=UTC))
    handle, stop = run_in_thread(simulator)
    try:
        with urllib.request.urlopen(f"{handle.url}/_sim/clock", timeout=5) as response:
            assert json.load(response)["now"] == "2025-06-18T12:00:00+00:00"
        assert handle.state.seed == 3
        assert handle.clock is simulator.clock
    finally:
        stop.set()  # the same as stop()
    assert not stop._thread.is_alive()
