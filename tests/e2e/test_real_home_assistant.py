"""A real Home Assistant with the integration installed as HACS installs it, used as a user would.

The tests run in order on one Home Assistant (module-scoped): onboarding and the config flow
first, then what a user sees and does, then the clock moves past 16:00, then the Energy dashboard
and the browser. Expected values come from the simulator's own REST API and biller.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
import os
from pathlib import Path
import re
from typing import Any

import pytest

from tests.e2e import simulator_facts as sim
from tests.e2e.stack import LONDON, Stack, wait_for
from tests.ids import AGILE_EXPORT, AGILE_GAS, AGILE_IMPORT

from ha_client import HomeAssistantClient  # isort: skip  (scripts/ is put on the path)

pytestmark = pytest.mark.e2e

USERNAME, PASSWORD = "tester", "octopus-e2e-password"
STRICT_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
CURRENT_RATE = f"sensor.{AGILE_IMPORT}_current_rate"
NEXT_DAY_RATES = f"sensor.{AGILE_IMPORT}_next_day_rates"
CHEAPEST = "binary_sensor.dishwasher"
SCREENSHOT_DIR = os.environ.get("E2E_SCREENSHOTS")

context: dict[str, Any] = {}


def pounds(pence: Decimal) -> Decimal:
    return pence / 100


def known(ha: HomeAssistantClient, entity_id: str) -> dict[str, Any] | None:
    state = ha.states().get(entity_id)
    return state if state and state["state"] not in ("unknown", "unavailable") else None


def test_onboarding_and_the_config_flow_add_the_account(
    stack: Stack, ha: HomeAssistantClient
) -> None:
    ha.onboard("Tester", USERNAME, PASSWORD)
    created = ha.run_config_flow({"api_key": sim.API_KEY, "url": stack.sim_url})
    entry_id = created["result"]["entry_id"]
    context["entry_id"] = entry_id
    wait_for(
        "the entry to load",
        lambda: any(e["entry_id"] == entry_id and e["state"] == "loaded" for e in ha.entries()),
    )
    # A cheapest-window sensor, added as a user does: the entry's sub-entry flow.
    ha.add_subentry(
        entry_id,
        "cheapest_window",
        {"name": "Dishwasher", "meter": "import", "window_type": "rolling"},
        {"hours": 6, "duration": 1, "mode": "continuous", "target": "cheapest"},
    )
    wait_for(
        "the entry to load again",
        lambda: any(e["entry_id"] == entry_id and e["state"] == "loaded" for e in ha.entries()),
    )


def test_rate_entities_show_the_simulators_prices(stack: Stack, ha: HomeAssistantClient) -> None:
    state = wait_for("the current rate", lambda: known(ha, CURRENT_RATE))
    now = stack.clock.now()
    slot = now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)
    prices = sim.unit_rates(stack.sim_url, sim.IMPORT_TARIFF, slot, slot + timedelta(minutes=30))
    assert Decimal(state["state"]) == pounds(prices[slot])
    assert state["attributes"]["unit_of_measurement"] == "GBP/kWh"
    today = wait_for("today's rates", lambda: known(ha, f"sensor.{AGILE_IMPORT}_current_day_rates"))
    items = today["attributes"]["rates"]
    assert items, today
    first_day_start = sim.local(now.astimezone(LONDON).date()).astimezone(UTC)
    published = sim.unit_rates(
        stack.sim_url, sim.IMPORT_TARIFF, first_day_start, first_day_start + timedelta(days=1)
    )
    for item in items:
        assert STRICT_ISO.match(item["start"]), item
        assert STRICT_ISO.match(item["end"]), item
        start = datetime.fromisoformat(item["start"]).astimezone(UTC)
        assert Decimal(str(item["value_inc_vat"])) == pounds(published[start]), item
    assert int(today["state"]) == len(items) == len(published)
    # Predbat reads the same list from the event entity it derives from the current rate's id.
    event_id = CURRENT_RATE.replace("_current_rate", "_current_day_rates").replace(
        "sensor.", "event."
    )
    event = known(ha, event_id)
    assert event is not None
    assert event["attributes"]["rates"] == items


def test_get_rates_returns_the_simulators_half_hours(stack: Stack, ha: HomeAssistantClient) -> None:
    day = stack.clock.now().astimezone(LONDON).date() - timedelta(days=3)
    start, end = sim.local(day), sim.local(day + timedelta(days=1))
    response = ha.call_action(
        "get_rates",
        {
            "config_entry_id": context["entry_id"],
            "meter": "import",
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
    published = sim.unit_rates(stack.sim_url, sim.IMPORT_TARIFF, start, end)
    assert response["tariff_code"] == sim.IMPORT_TARIFF
    got = {
        datetime.fromisoformat(item["start"]).astimezone(UTC): Decimal(str(item["value_inc_vat"]))
        for item in response["rates"]
    }
    assert got == {instant: pounds(price) for instant, price in published.items()}
    assert all(STRICT_ISO.match(item["start"]) for item in response["rates"])


def test_find_cheapest_window_matches_a_brute_force_over_published_prices(
    stack: Stack, ha: HomeAssistantClient
) -> None:
    response = ha.call_action(
        "find_cheapest_window",
        {"config_entry_id": context["entry_id"], "meter": "import", "hours": 6, "duration": 1.5},
    )
    window_start = datetime.fromisoformat(response["window_start"]).astimezone(UTC)
    window_end = datetime.fromisoformat(response["window_end"]).astimezone(UTC)
    now = stack.clock.now()
    assert window_start <= now < window_start + timedelta(minutes=30)
    assert window_end == window_start + timedelta(hours=6)
    prices = sim.unit_rates(stack.sim_url, sim.IMPORT_TARIFF, window_start, window_end)
    starts = sorted(prices)
    # Brute force: every run of three consecutive half-hours; ties go to the earliest.
    best = min(range(len(starts) - 2), key=lambda i: (sum(prices[s] for s in starts[i : i + 3]), i))
    chosen = [datetime.fromisoformat(slot["start"]).astimezone(UTC) for slot in response["slots"]]
    assert chosen == starts[best : best + 3]
    assert Decimal(str(response["average"])).quantize(Decimal("0.000001")) == (
        pounds(sum(prices[s] for s in chosen)) / 3
    ).quantize(Decimal("0.000001"))


def test_the_current_rate_moves_at_the_slot_boundary_without_a_request(
    stack: Stack, ha: HomeAssistantClient
) -> None:
    today = stack.clock.now().astimezone(LONDON).date()
    four = sim.local(today, 16).astimezone(UTC)
    price = sim.unit_rates(stack.sim_url, sim.IMPORT_TARIFF, four, four + timedelta(minutes=30))
    before = len(sim.get(stack.sim_url, "/_sim/requests"))
    stack.clock.move_to(four - timedelta(seconds=3))
    state = wait_for(
        "the 16:00 slot",
        lambda: (s := known(ha, CURRENT_RATE))
        and datetime.fromisoformat(s["attributes"]["start"]) == four
        and s,
    )
    assert Decimal(state["state"]) == pounds(price[four])
    rate_requests = [
        r
        for r in sim.get(stack.sim_url, "/_sim/requests")[before:]
        if "standard-unit-rates" in r["path"]
        and datetime.fromisoformat(r["at"]) >= four - timedelta(seconds=3)
        # The statistics back-fill asks for last year's prices meanwhile; none of today's.
        and datetime.fromisoformat(r["query"].get("period_to", "9999-12-31T00:00:00Z")) > four
    ]
    assert rate_requests == [], [(r["at"], r["path"], r["query"]) for r in rate_requests]


def test_tomorrows_agile_prices_arrive_after_16(stack: Stack, ha: HomeAssistantClient) -> None:
    today = stack.clock.now().astimezone(LONDON).date()
    tomorrow = today + timedelta(days=1)
    # The first poll after publication is 1 to 4 minutes past 16:00 (spread over users).
    stack.clock.move_to(sim.local(today, 16, 5).astimezone(UTC))
    state = wait_for(
        "tomorrow's rates", lambda: (s := known(ha, NEXT_DAY_RATES)) and s["state"] != "0" and s
    )
    start, end = sim.local(tomorrow), sim.local(tomorrow, 23)
    published = sim.unit_rates(stack.sim_url, sim.IMPORT_TARIFF, start, end)
    assert int(state["state"]) == len(published) == 46
    lowest = known(ha, f"sensor.{AGILE_IMPORT}_lowest_rate_tomorrow")
    assert lowest is not None
    assert Decimal(lowest["state"]) == pounds(min(published.values()))


def test_energy_statistics_match_the_simulators_bill(stack: Stack, ha: HomeAssistantClient) -> None:
    ids = wait_for("six statistics", lambda: len(ids := ha.statistic_ids()) == 6 and ids, 90)
    yesterday = stack.clock.now().astimezone(LONDON).date() - timedelta(days=1)
    consumption = next(
        i
        for i in ids
        if i.startswith("octopus_kraken:electricity_import_") and i.endswith("_consumption")
    )
    cost = consumption.removesuffix("_consumption") + "_cost"
    start = sim.local(yesterday).astimezone(UTC)
    end = sim.local(yesterday + timedelta(days=1)).astimezone(UTC)
    (stats,) = ha.ws(
        {
            "type": "recorder/statistics_during_period",
            "start_time": start.isoformat(),
            "end_time": end.isoformat(),
            "statistic_ids": [consumption, cost],
            "period": "hour",
            "types": ["change"],
        }
    )
    bill = sim.day_bill(stack.sim_url, sim.IMPORT_MPAN, yesterday)
    kwh = sum(Decimal(h["kwh"]) for h in bill["half_hours"])
    assert len(stats[consumption]) == 24
    assert Decimal(str(sum(row["change"] for row in stats[consumption]))).quantize(
        Decimal("0.001")
    ) == kwh.quantize(Decimal("0.001"))
    assert Decimal(str(sum(row["change"] for row in stats[cost]))).quantize(Decimal("0.01")) == (
        Decimal(bill["exact_pence"]) / 100
    ).quantize(Decimal("0.01"))
    prefs = ha.configure_energy(ids)
    context["energy_prefs"] = prefs


BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DASHBOARD = {
    "title": "Octopus",
    "views": [
        {
            "title": "Prices",
            "path": "prices",
            "cards": [
                {
                    "type": "entities",
                    "title": "Electricity prices",
                    "entities": [
                        CURRENT_RATE,
                        f"sensor.{AGILE_IMPORT}_next_rate",
                        f"sensor.{AGILE_IMPORT}_lowest_rate_tomorrow",
                        f"sensor.{AGILE_IMPORT}_current_standing_charge",
                        f"sensor.{AGILE_EXPORT}_current_rate",
                        f"sensor.{AGILE_GAS}_current_rate",
                    ],
                },
                {
                    "type": "entities",
                    "title": "Cheapest window",
                    "entities": [
                        CHEAPEST,
                        {
                            "type": "attribute",
                            "entity": CHEAPEST,
                            "attribute": "next_start",
                            "name": "Next start",
                        },
                    ],
                },
            ],
        }
    ],
}


def screenshot_dir(stack: Stack) -> Path:
    folder = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else stack.workdir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_browser_shows_the_device_a_dashboard_and_the_energy_dashboard(
    stack: Stack, ha: HomeAssistantClient
) -> None:
    from playwright.sync_api import Page, sync_playwright

    (devices,) = ha.ws({"type": "config/device_registry/list"})
    meter = next(d for d in devices if d["name"] == "Electricity import meter")
    ha.ws({"type": "lovelace/config/save", "config": DASHBOARD})
    statistic = context["energy_prefs"]["energy_sources"][0]["flow_from"][0]["stat_energy_from"]
    (metadata,) = ha.ws({"type": "recorder/get_statistics_metadata", "statistic_ids": [statistic]})
    folder = screenshot_dir(stack)

    def shows(page: Page, *texts: str, elements: tuple[str, ...] = ()) -> None:
        try:
            for element in elements:
                page.locator(element).first.wait_for(timeout=30_000)
            for text in texts:
                page.get_by_text(text, exact=False).locator("visible=true").first.wait_for(
                    timeout=30_000
                )
        except Exception:
            page.screenshot(path=folder / "failed.png")
            raise
        assert page.locator("hui-error-card").count() == 0
        assert page.get_by_text("Entity not available").count() == 0

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=BROWSER_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{stack.ha_url}/")
            page.locator("input[name=username]").fill(USERNAME)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url("**/lovelace/**")

            shows(page, "Electricity prices", "Electricity import meter Current rate", "Dishwasher")
            page.screenshot(path=folder / "dashboard.png")

            page.goto(f"{stack.ha_url}/config/devices/device/{meter['id']}")
            shows(page, "Electricity import meter", "Current rate", "Next day rates")
            page.screenshot(path=folder / "device.png")

            page.goto(f"{stack.ha_url}/energy")
            shows(
                page,
                metadata[0]["name"],
                elements=("hui-energy-usage-graph-card", "hui-energy-sources-table-card"),
            )
            page.wait_for_timeout(1500)  # let the charts finish their animation
            page.screenshot(path=folder / "energy-dashboard.png", full_page=True)

            page.goto(f"{stack.ha_url}/config/energy")
            shows(page, metadata[0]["name"], "Grid consumption")
            page.screenshot(path=folder / "energy-settings.png", full_page=True)
        finally:
            browser.close()


def test_the_log_holds_no_error_or_warning_from_the_integration(stack: Stack) -> None:
    lines = stack.log_path.read_text().splitlines()
    records = [line for line in lines if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ", line)]
    assert any("custom_components.octopus_kraken" in line for line in records)
    ours = [
        line
        for line in records
        if (" WARNING " in line or " ERROR " in line or " CRITICAL " in line)
        and "octopus_kraken" in line
        and "has not been tested by Home Assistant" not in line
    ]
    assert ours == []
