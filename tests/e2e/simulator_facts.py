"""What the simulator itself says: the independent source of every expected value in the e2e."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
import json
from typing import Any
import urllib.parse
import urllib.request

from tests.e2e.stack import LONDON

API_KEY = "sk_test_simulator"
IMPORT_TARIFF = "E-1R-AGILE-24-10-01-C"
IMPORT_MPAN = "1200012345679"


def get(base_url: str, path: str, **query: str) -> Any:
    """One authenticated GET against the simulator."""
    url = f"{base_url}{path}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(url)
    token = f"{API_KEY}:".encode()

    request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode())


def product_of(tariff: str) -> str:
    """``E-1R-AGILE-24-10-01-C`` -> ``AGILE-24-10-01``."""
    return tariff.split("-", 2)[2].rsplit("-", 1)[0]


def unit_rates(
    base_url: str, tariff: str, start: datetime, end: datetime
) -> dict[datetime, Decimal]:
    """Pence/kWh inc VAT by half-hour start (UTC) over ``[start, end)``, from the REST API."""
    kind = "electricity" if tariff.startswith("E-") else "gas"
    path = f"/v1/products/{product_of(tariff)}/{kind}-tariffs/{tariff}/standard-unit-rates/"
    page: Any = get(
        base_url,
        path,
        period_from=start.isoformat().replace("+00:00", "Z"),
        period_to=end.isoformat().replace("+00:00", "Z"),
        page_size="1500",
    )
    prices: dict[datetime, Decimal] = {}
    while True:
        for row in page["results"]:
            valid_from = datetime.fromisoformat(row["valid_from"])
            prices[valid_from] = Decimal(str(row["value_inc_vat"]))
        if not page.get("next"):
            break
        parsed = urllib.parse.urlparse(page["next"])
        page = get(base_url, parsed.path, **dict(urllib.parse.parse_qsl(parsed.query)))
    return {instant: prices[instant] for instant in sorted(prices)}


def day_bill(base_url: str, meter: str, day: date) -> dict[str, Any]:
    """The simulator's own biller's account of one UK day of one meter."""
    bill: dict[str, Any] = get(base_url, "/_sim/bill", meter=meter, **{"from": day.isoformat()})
    return dict(bill["days"][0])


def local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A UK wall-clock time as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
