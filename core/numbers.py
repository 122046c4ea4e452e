from decimal import Decimal


def points_text(number: Decimal | None) -> str | None:
    """15.00 → "15", 2.50 → "2.5", 13.5 → "13.5": points as people write them (None stays None)."""
    if number is None:
        return None
    return format(Decimal(number).normalize(), "f")
