from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samen030.funds.ledger_checks import ledger_problems
from samen030.funds.models import Account, Transaction


class Command(BaseCommand):
    help = (
        "Check every invariant of the funds' ledger: balanced transactions, stored balances, no forbidden negative "
        "balance, exact reversals, four-eyes approvals. Exits non-zero and lists each breach."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(ledger_problems())
        for problem in problems:
            self.stderr.write(f"LEDGER: {problem}")
        if problems:
            raise CommandError(f"The ledger has {len(problems)} problem(s); see above.")
        transactions, accounts = Transaction.objects.count(), Account.objects.count()
        self.stdout.write(f"The ledger is sound: {transactions} transactions on {accounts} accounts checked.")
