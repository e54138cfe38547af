"""How the pitch pipeline compares amounts in different currencies: in US dollars.

Every amount (a plan's funding sought, an investor's ticket range, an amount funded) is
converted when it is saved, at the latest rate to the US dollar that any programme's
secretariat keeps (``reporting.ExchangeRate`` rows whose reporting currency is USD: the UN
operational rates of exchange, units of the currency per dollar), and stored beside the amount
with the rate and its date, so matching compares two numbers in SQL and the page can say which
rate was used.  An amount in a currency without such a rate is refused at the currency field.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pledgebook.reporting.models import ExchangeRate

USD = "USD"
CENT = Decimal("0.01")


def usd_rate(currency_code: str) -> tuple[Decimal, dt.date | None] | None:
    """Units of ``currency_code`` per US dollar and the date of that rate (1 for the dollar)."""
    if currency_code == USD:
        return Decimal(1), None
    row = (
        ExchangeRate.objects.filter(currency_id=currency_code, reporting_currency_id=USD)
        .order_by("-effective_on", "-updated_at")
        .values_list("rate", "effective_on")
        .first()
    )
    return (row[0], row[1]) if row else None


def rate_or_error(currency_code: str, field: str = "currency") -> tuple[Decimal, dt.date | None]:
    found = usd_rate(currency_code)
    if found is None:
        raise ValidationError(
            {
                field: _(
                    "No exchange rate to the US dollar is kept for %(code)s, so the amount "
                    "cannot be compared with others: give it in US dollars or in a currency "
                    "the secretariat keeps a rate for."
                )
                % {"code": currency_code}
            }
        )
    return found


def to_usd(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
