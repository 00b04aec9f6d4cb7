"""How much demo to generate: the shipped demo register, or the benchmark's large one."""

from __future__ import annotations

from dataclasses import dataclass

from credit_register.tools.demo.cast import CAST, HAND_INVOICES


@dataclass(frozen=True)
class DemoSize:
    """How much to generate. The defaults are the shipped demo; :meth:`large` the benchmark.

    ``None`` for a count means "what the story gives": three statements per customer less the
    thin files, one or two bureau reports per customer, one payment per paid invoice plus split
    payments and a little unapplied cash.
    """

    customers: int = 60
    invoice_months: int = 18
    invoices: int = 3200
    seed: int = 20261031
    statements: int | None = None
    payments: int | None = None
    orders: int = 40
    bureau_reports: int | None = None
    #: share of the randomly drawn customers that default (the cast always has one)
    defaulted_share: float = 0.0

    def __post_init__(self) -> None:
        if self.customers < len(CAST):
            raise ValueError(f"at least {len(CAST)} customers (the demo cast)")
        if self.invoices < self.customers + len(HAND_INVOICES):
            raise ValueError("at least one invoice per customer")
        if not 1 <= self.invoice_months <= 120:
            raise ValueError("invoice_months must be 1–120")

    @classmethod
    def large(cls) -> DemoSize:
        """The synthetic register for benchmarks."""
        return cls(
            customers=10_000,
            statements=30_000,
            invoices=500_000,
            payments=400_000,
            orders=20_000,
            bureau_reports=10_000,
            defaulted_share=0.02,
        )
