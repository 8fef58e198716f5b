"""Numbers as people write them: counts and amounts in short scale ("40B", "800M"), money
with its currency's symbol ("$40B", "€1.7B")."""

from __future__ import annotations

#: Currency codes and the symbol people read.
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "HKD": "HK$"}


def short_number(value: float) -> str:
    """A count or amount as people write it: 40000000000 -> "40B", 1700000 -> "1.7M".

    >>> [short_number(v) for v in (40_000_000_000, 1_700_000_000, 117_000_000_000, 950, 12_345)]
    ['40B', '1.7B', '117B', '950', '12,345']
    >>> short_number(2.106e24)  # beyond trillions (training compute in FLOP): powers of ten
    '2.11e24'
    """
    if abs(value) >= 1e15:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{float(mantissa):.3g}e{int(exponent)}"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            text = f"{value / size:.3g}"
            return (text if "e" not in text else f"{value / size:.0f}") + suffix
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def money(value: float, currency: str) -> str:
    """ "$40B", "€1.7B", or the code when no symbol is known ("40B CHF").

    >>> money(40_000_000_000, "USD"), money(1_700_000_000, "EUR"), money(5e8, "CHF")
    ('$40B', '€1.7B', '500M CHF')
    """
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{short_number(value)}" if symbol else f"{short_number(value)} {currency}"
