"""A tiny double-entry ledger.

def not_a_function(): this line is inside the module docstring.
"""

import dataclasses
from decimal import Decimal

CURRENCY = "EUR"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One side of a transaction."""

    account: str
    amount: Decimal

    def signed(self) -> Decimal:
        return self.amount


class Ledger:
    """Accounts and their balances."""

    def __init__(self):
        self.balances = {
            "cash": Decimal(0),
            "revenue": Decimal(0),
        }

    @staticmethod
    def _check(entries):
        total = sum(e.amount for e in entries)
        if total != 0:
            raise ValueError(f"entries do not balance: {total}")

    def post(self, *entries):
        """Posts balanced entries; debits are positive, credits negative."""
        self._check(entries)
        for entry in entries:
            self.balances[entry.account] = self.balances.get(entry.account, Decimal(0)) + entry.amount

    def balance(self, account):
        return self.balances.get(account, Decimal(0))


async def export(ledger, sink):
    for account, amount in sorted(ledger.balances.items()):
        await sink.write(f"{account},{amount}\n")


if __name__ == "__main__":
    book = Ledger()
    book.post(Entry("cash", Decimal(10)), Entry("revenue", Decimal(-10)))
    print(book.balance("cash"))
