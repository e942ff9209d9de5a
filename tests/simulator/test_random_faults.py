"""Random faults for soaks: seeded, at the asked rate, only kinds that fit the request."""

from __future__ import annotations

from octopus_simulator.faults import GRAPHQL_PATH, FaultInjector, FaultKind

REST = "/v1/products/"


def _draws(seed: int, path: str = REST, count: int = 2000) -> list[FaultKind | None]:
    faults = FaultInjector()
    faults.fail_randomly(0.15, [FaultKind.SERVER_ERROR, FaultKind.EXPIRED_TOKEN], seed=seed)
    return [(f.kind if (f := faults.take(path)) else None) for _ in range(count)]


def test_the_same_seed_fails_the_same_requests() -> None:
    assert _draws(7) == _draws(7)
    assert _draws(7) != _draws(8)


def test_about_the_asked_share_of_requests_fails() -> None:
    failed = sum(1 for kind in _draws(3, GRAPHQL_PATH) if kind is not None)
    assert 0.12 * 2000 < failed < 0.18 * 2000


def test_graphql_only_faults_never_hit_rest() -> None:
    kinds = set(_draws(5, REST))
    assert FaultKind.EXPIRED_TOKEN not in kinds
    assert FaultKind.SERVER_ERROR in kinds
    assert FaultKind.EXPIRED_TOKEN in set(_draws(5, GRAPHQL_PATH))


def test_queued_faults_come_first_and_rate_zero_stops() -> None:
    faults = FaultInjector()
    faults.fail_randomly(1.0, [FaultKind.SERVER_ERROR], seed=1)
    faults.inject(FaultKind.RATE_LIMIT)
    first, second = faults.take(REST), faults.take(REST)
    assert first is not None
    assert first.kind is FaultKind.RATE_LIMIT
    assert second is not None
    assert second.kind is FaultKind.SERVER_ERROR
    faults.fail_randomly(0, [])
    assert faults.take(REST) is None
