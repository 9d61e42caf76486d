"""Numbers written the French way: a comma before the decimals and a narrow no-break
space (U+202F) between thousands, so that '1 200 €' never breaks across two lines."""

NARROW_NO_BREAK_SPACE = "\u202f"


def french_number(value, decimals=0, *, trim_zeros=False, thousands=NARROW_NO_BREAK_SPACE):
    """1234.5 → '1 234,50' with two decimals; `trim_zeros` writes 12.0 as '12', not '12,0'."""
    text = f"{value:,.{decimals}f}".replace(",", thousands).replace(".", ",")
    if trim_zeros and decimals:
        text = text.removesuffix("," + "0" * decimals)
    return text
