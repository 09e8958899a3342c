"""Benchmark (not a test): eL-QR payloads built and parsed back per second.

Run: ``uv run python bench/bench_payment.py [count]`` (default 50,000 codes).
Each code gets its own payment number, confirmation number and amount, so the check
digits, the HMAC and the CRC are computed afresh every time.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from counter.payment import ElqrFields, build_elqr, confirmation_number, parse_elqr

KEY = b"bench-key"


def main(count: int = 50_000) -> None:
    start = time.perf_counter()
    for i in range(count):
        payment_number = f"{20260000000 + i}"
        fields = ElqrFields(
            amount=1 + (i * 37) % 1_000_000,
            category="999",
            payment_number=payment_number,
            confirmation_number=confirmation_number(payment_number, KEY),
            collector="31202",
            levy_year=2026,
            tax_year=2026,
            due_date=date(2026, 12, 31),
            payable_until=date(2027, 1, 31),
        )
        if parse_elqr(build_elqr(fields)) != fields:
            raise SystemExit(f"round trip failed for {fields}")
    elapsed = time.perf_counter() - start
    print(
        f"{count:,} eL-QR codes built and parsed in {elapsed:.2f} s: "
        f"{count / elapsed:,.0f} codes/s ({elapsed / count * 1e6:.1f} µs each)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
