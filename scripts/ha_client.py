"""Talk to a running Home Assistant the way its frontend does: REST and WebSocket.

Shared by ``scripts/develop.py`` (a demo a newcomer can open) and ``tests/e2e`` (which proves the
same steps work), so the demo's set-up is exactly what the end-to-end test checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
import json
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

import aiohttp

DOMAIN = "octopus_kraken"


class HomeAssistantClient:
    """A logged-in (after ``onboard``) client of one Home Assistant instance."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.client_id = f"{self.url}/"
        self.token: str | None = None
        self.refresh_token: str | None = None

    # -- REST -----------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, body: Any = None, form: bool = False) -> Any:
        """One JSON request (form-encoded with ``form``); raises ``urllib.error.HTTPError``."""
        headers = {}
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def wait_until_up(self, timeout: float = 120, alive: Any = None) -> None:
        """Wait until the HTTP server answers; ``alive()`` false means the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if alive is not None and not alive():
                raise RuntimeError("Home Assistant exited during start-up")
            try:
                urllib.request.urlopen(f"{self.url}/api/onboarding", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise TimeoutError(f"Home Assistant did not answer within {timeout:.0f} s")

    def onboard(self, name: str, username: str, password: str) -> str:
        """Complete onboarding (first run) or log in; return an access token."""
        self.token = None
        status = self.request("GET", "/api/onboarding")
        done = {step["step"] for step in status if step["done"]}
        if "user" not in done:
            result = self.request(
                "POST",
                "/api/onboarding/users",
                body={
                    "client_id": self.client_id,
                    "name": name,
                    "username": username,
                    "password": password,
                    "language": "en",
                },
            )
            self._exchange_code(result["auth_code"])
        else:
            self.login(username, password)
        if "core_config" not in done:
            self.request("POST", "/api/onboarding/core_config", body={})
        if "analytics" not in done:
            self.request("POST", "/api/onboarding/analytics", body={})
        if "integration" not in done:
            self.request(
                "POST",
                "/api/onboarding/integration",
                body={
                    "client_id": self.client_id,
                    "redirect_uri": f"{self.url}/?auth_callback=1",
                },
            )
        assert self.token is not None
        return self.token

    def _exchange_code(self, code: str) -> None:
        tokens = self.request(
            "POST",
            "/auth/token",
            body={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
            form=True,
        )
        self.token = str(tokens["access_token"])
        self.refresh_token = str(tokens["refresh_token"])

    def login(self, username: str, password: str) -> None:
        """Log in through the login flow, as the frontend's login page does."""
        self.token = None
        flow = self.request(
            "POST",
            "/auth/login_flow",
            body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.url}/?auth_callback=1",
            },
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            body={"client_id": self.client_id, "username": username, "password": password},
        )
        self._exchange_code(result["result"])

    def run_config_flow(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Add the integration through its config flow: ``answers`` fill the fields asked.

        A field not in ``answers`` keeps the default the form offers (every meter ticked), a menu
        takes its first option. Returns the final step (``create_entry``).
        """
        step = self.request(
            "POST",
            "/api/config/config_entries/flow",
            body={"handler": DOMAIN, "show_advanced_options": False},
        )
        for _ in range(10):
            if step["type"] == "create_entry":
                return dict(step)
            if step["type"] == "abort":
                raise RuntimeError(f"The config flow aborted: {step['reason']}")
            if step.get("errors"):
                raise RuntimeError(f"The config flow reported errors: {step['errors']}")
            if step["type"] == "menu":
                body: dict[str, Any] = {"next_step_id": step["menu_options"][0]}
            else:
                names = {field["name"] for field in step.get("data_schema", [])}
                body = {name: answers[name] for name in names if name in answers}
            step = self.request(
                "POST", f"/api/config/config_entries/flow/{step['flow_id']}", body=body
            )
        raise RuntimeError("The config flow did not finish in 10 steps")

    def add_subentry(self, entry_id: str, kind: str, *steps: dict[str, Any]) -> dict[str, Any]:
        """Add a sub-entry (e.g. a cheapest window) answering its steps in order."""
        step = self.request(
            "POST",
            "/api/config/config_entries/subentries/flow",
            body={"handler": [entry_id, kind]},
        )
        for answers in steps:
            step = self.request(
                "POST",
                f"/api/config/config_entries/subentries/flow/{step['flow_id']}",
                body=answers,
            )
        if step["type"] != "create_entry":
            raise RuntimeError(f"The sub-entry flow did not finish: {step}")
        return dict(step)

    def entries(self) -> list[dict[str, Any]]:
        """This integration's config entries."""
        entries = self.request("GET", "/api/config/config_entries/entry")
        return [entry for entry in entries if entry["domain"] == DOMAIN]

    def states(self) -> dict[str, dict[str, Any]]:
        """Every state by entity id, as ``/api/states`` serialises them."""
        return {state["entity_id"]: state for state in self.request("GET", "/api/states")}

    def call_action(self, action: str, data: dict[str, Any]) -> Any:
        """Call ``octopus_kraken.<action>`` and return its response."""
        result = self.request("POST", f"/api/services/{DOMAIN}/{action}?return_response", body=data)
        return result["service_response"]

    # -- WebSocket ------------------------------------------------------------------------------
    def ws(self, *commands: dict[str, Any]) -> list[Any]:
        """Send commands over one authenticated WebSocket; return each result (raise on error)."""
        return asyncio.run(self._ws(commands))

    async def _ws(self, commands: Sequence[dict[str, Any]]) -> list[Any]:
        results: list[Any] = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{self.url}/api/websocket", max_msg_size=0) as socket,
        ):
            await socket.receive_json()  # auth_required
            await socket.send_json({"type": "auth", "access_token": self.token})
            answer = await socket.receive_json()
            if answer["type"] != "auth_ok":
                raise RuntimeError(f"WebSocket authentication failed: {answer}")
            for number, command in enumerate(commands, start=1):
                await socket.send_json({"id": number, **command})
                while True:
                    reply = await socket.receive_json(timeout=60)
                    if reply.get("id") == number and reply["type"] == "result":
                        break
                if not reply["success"]:
                    raise RuntimeError(f"{command['type']} failed: {reply['error']}")
                results.append(reply["result"])
        return results

    def statistic_ids(self) -> list[str]:
        """The integration's long-term statistic ids (the Energy dashboard's choices)."""
        (listed,) = self.ws({"type": "recorder/list_statistic_ids", "statistic_type": "sum"})
        return sorted(
            item["statistic_id"] for item in listed if item["statistic_id"].startswith(f"{DOMAIN}:")
        )

    def configure_energy(self, statistic_ids: Sequence[str]) -> dict[str, Any]:
        """Put the integration's statistics into the Energy dashboard; return the saved prefs."""
        prefs = energy_preferences(statistic_ids)
        (saved,) = self.ws({"type": "energy/save_prefs", **prefs})
        return dict(saved)


def energy_preferences(statistic_ids: Sequence[str]) -> dict[str, Any]:
    """Energy dashboard sources from the integration's statistic ids (the README's table)."""
    ids = set(statistic_ids)

    def meter(kind: str, money: str) -> tuple[str, str | None] | None:
        """The first meter of a kind: its consumption statistic and its money statistic."""
        for sid in sorted(ids):
            if sid.startswith(f"{DOMAIN}:{kind}_") and sid.endswith("_consumption"):
                other = sid.removesuffix("_consumption") + money
                return sid, other if other in ids else None
        return None

    # The frontend sends every key; the recorder's schema needs the price keys present.
    no_price = {"entity_energy_price": None, "number_energy_price": None}
    sources: list[dict[str, Any]] = []
    imported = meter("electricity_import", "_cost")
    exported = meter("electricity_export", "_income")
    if imported or exported:
        sources.append(
            {
                "type": "grid",
                "flow_from": (
                    [{"stat_energy_from": imported[0], "stat_cost": imported[1], **no_price}]
                    if imported
                    else []
                ),
                "flow_to": (
                    [{"stat_energy_to": exported[0], "stat_compensation": exported[1], **no_price}]
                    if exported
                    else []
                ),
                "cost_adjustment_day": 0,
            }
        )
    if gas := meter("gas", "_cost"):
        sources.append({"type": "gas", "stat_energy_from": gas[0], "stat_cost": gas[1], **no_price})
    return {"energy_sources": sources, "device_consumption": []}
