"""Pure domain logic: no I/O, no Home Assistant, nothing of ours but ``api.models``.

- ``tariff_codes``: tariff code parsing, product kinds, MPAN/MPRN/serial validation
- ``time``: half-hour and local-day arithmetic, daily local windows
- ``timeline``: ``RateTimeline`` (lookup, merging, gaps, day statistics), standing charges
- ``economy7``: day/night register timelines
- ``dispatch``: Intelligent Octopus Go dispatch half-hours and off-peak pricing
- ``cheapest``: cheapest (or most expensive) window search
- ``cost``: cost of consumption, gas conversion, hourly aggregation
- ``consumption``: a meter's kept half-hours and days, and when to poll again
- ``pricing``: what metered half-hours cost (past prices, Intelligent Go dispatches, standing)
- ``rate_data``: what the rates coordinator keeps (tariff periods, held prices, reconciling)
- ``rate_schedule``: when unit rates are worth asking for
- ``jitter``: random spreads and backoff of every request

Money is pence as ``Decimal``; instants are aware UTC ``datetime``s, with a ``ZoneInfo``
(default Europe/London) passed in wherever a local day matters.
"""
