"""What identifies a user of the simulator's scenario: never to appear in logs or diagnostics."""

from __future__ import annotations

from octopus_simulator.scenario import Scenario


def personal_strings(
    scenario: Scenario, api_key: str | None = None, account_number: str | None = None
) -> tuple[set[str], set[str]]:
    """(secrets, device names) of every account and user, or of the one account and key given.

    Secrets: API keys, account numbers, addresses, postcodes, MPANs, MPRNs, meter serials, device
    ids, the users' e-mail addresses and names. Device names are returned apart: they become
    entity names, which Home Assistant itself logs.
    """
    secrets: set[str] = set()
    names: set[str] = set()
    for account in scenario.accounts:
        if account_number is not None and account.number != account_number:
            continue
        secrets.add(account.number)
        for prop in account.properties:
            secrets.update(line for line in prop.address_lines if line)
            secrets.add(prop.postcode)
            for point in prop.electricity_meter_points:
                secrets.add(point.mpan)
                for meter in point.meters:
                    secrets.add(meter.serial_number)
                    secrets.update(d for d in (meter.import_device_id, meter.export_device_id) if d)
            for point in prop.gas_meter_points:
                secrets.add(point.mprn)
                for meter in point.meters:
                    secrets.add(meter.serial_number)
                    if meter.device_id:
                        secrets.add(meter.device_id)
        for device in account.devices:
            secrets.add(device.id)
            if device.name:
                names.add(device.name)
    for user in scenario.users:
        if api_key is None or user.api_key == api_key:
            secrets.update({user.api_key, user.email, user.given_name, user.family_name})
    return {s for s in secrets if s}, names
