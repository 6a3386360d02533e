"""Seeded draws: exact counts, exact totals, and groups of communes whose union is exact."""

from __future__ import annotations

import heapq
import random
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def rng_for(seed: int, section: str) -> random.Random:
    """One generator per section: changing one section never shifts the draws of another.
    (A str seed is hashed with SHA-512: the same on every run, whatever PYTHONHASHSEED.)"""
    return random.Random(f"pvd-demo-{seed}-{section}")


def split_amount(
    rng: random.Random, total: Decimal, n: int, *, spread: float = 0.6
) -> list[Decimal]:
    """`n` positive amounts summing exactly to `total`: whole euros when `total` is, cents
    otherwise; the larger `spread`, the more unequal (log-normal weights; 0: equal shares)."""
    if n <= 0:
        return []
    unit = 100 if total == total.to_integral_value() else 1
    units = int(total * 100) // unit
    if units < n:
        raise ValueError(f"{total} € ne se répartit pas en {n} montants positifs")
    return [Decimal(part * unit) / 100 for part in split_count(rng, units, n, spread=spread)]


def split_count(rng: random.Random, total: int, n: int, *, spread: float = 0.6) -> list[int]:
    """`n` positive integers summing exactly to `total` (at least `n`), as unequal as
    `split_amount` makes them."""
    if n <= 0:
        return []
    if total < n:
        raise ValueError(f"{total} ne se répartit pas en {n} nombres positifs")
    weights = [rng.lognormvariate(0, spread) if spread else 1.0 for _ in range(n)]
    scale = (total - n) / sum(weights)
    parts = [1 + int(w * scale) for w in weights]
    # Give what the flooring left to the largest weights, one unit each.
    for i in sorted(range(n), key=lambda i: -weights[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def weighted_sample(rng: random.Random, population: list, weights: list[float], k: int) -> list:
    """`k` distinct members of `population`, each the likelier to be drawn the larger its
    weight (Efraimidis and Spirakis: the k largest of random() ** (1 / weight))."""
    keys = ((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights))
    return [population[i] for _, i in heapq.nlargest(k, keys)]


def scaled(total: Decimal, factor: Decimal) -> Decimal:
    return (total * factor).quantize(CENT, rounding=ROUND_HALF_EVEN)


def cover(rng: random.Random, pool: list, sizes: dict[str, int]) -> dict[str, list]:
    """For each name, `sizes[name]` distinct members of `pool`, so that together they cover
    the whole pool (sum(sizes) >= len(pool)): each takes a share of the pool in proportion to
    its size, then completes its size with members of the others' shares (the overlaps)."""
    pool = list(pool)
    rng.shuffle(pool)
    total = sum(sizes.values())
    if not pool:
        return {name: [] for name in sizes}
    if total < len(pool):
        raise ValueError("les tailles ne couvrent pas l’ensemble")
    shares = {name: size * len(pool) // total for name, size in sizes.items()}
    left = len(pool) - sum(shares.values())
    for name in sorted(sizes, key=lambda n: -sizes[n]):
        if left and shares[name] < sizes[name]:
            shares[name] += 1
            left -= 1
    result, start = {}, 0
    for name, size in sizes.items():
        own = pool[start : start + shares[name]]
        start += shares[name]
        taken = set(own)
        others = [member for member in pool if member not in taken]
        result[name] = own + rng.sample(others, min(size - len(own), len(others)))
    return result


def exact_sample(rng: random.Random, pool: list, share: float) -> list:
    """round(share * len(pool)) members of the pool."""
    return rng.sample(pool, min(len(pool), round(share * len(pool))))


def allot(n: int, weights: dict) -> list:
    """n keys in the proportions of `weights`, exactly (largest remainders)."""
    total = sum(weights.values())
    exact = {key: n * w / total for key, w in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: counts[k] - exact[k])[: n - sum(counts.values())]:
        counts[key] += 1
    return [key for key, count in counts.items() for _ in range(count)]
