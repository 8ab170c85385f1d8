"""Colour math in one place: hex ↔ RGB, WCAG contrast, mixing, and CIE ΔE."""

from __future__ import annotations

RGB = tuple[int, int, int]


def hex_to_rgb(value: str) -> RGB:
    """'#RRGGBB' or '#RGB' → (r, g, b)."""
    digits = value.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def relative_luminance(value: str) -> float:
    """WCAG 2.x relative luminance of a hex colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = hex_to_rgb(value)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two hex colours (1 … 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, amount: float) -> str:
    """Blend ``amount`` (0 … 1) of ``b`` into ``a``."""
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    red, green, blue = (x + (y - x) * amount for x, y in zip(ra, rb))
    return rgb_to_hex((red, green, blue))


def is_dark(value: str) -> bool:
    return relative_luminance(value) < 0.18


def readable_on(background: str, preferred: str | None = None, minimum: float = 4.5) -> str:
    """A text colour for ``background``: ``preferred`` pushed toward black or white until it reads."""
    if preferred is None:
        return (
            "#FFFFFF" if contrast_ratio("#FFFFFF", background) >= contrast_ratio("#111111", background) else "#111111"
        )
    if contrast_ratio(preferred, background) >= minimum:
        return preferred.upper()
    target = "#000000" if relative_luminance(background) > 0.18 else "#FFFFFF"
    for step in range(1, 21):
        candidate = mix(preferred, target, step / 20)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return target


def _to_lab(value: str) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in hex_to_rgb(value))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference: under ~2.3 is a just-noticeable difference."""
    la, lb = _to_lab(a), _to_lab(b)
    return sum((x - y) ** 2 for x, y in zip(la, lb)) ** 0.5
