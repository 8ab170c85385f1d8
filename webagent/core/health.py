"""What the browser saw when a page rendered."""

from __future__ import annotations

from pydantic import Field

from webagent.core.contracts import AssetKind, Contract


class ElementHealth(Contract):
    """How one element rendered in Chromium."""

    id: str
    kind: AssetKind
    ok: bool
    detail: str = ""


class RenderHealth(Contract):
    """What the browser saw when it rendered the page."""

    console_errors: list[str] = Field(default_factory=list)
    failed_requests: list[str] = Field(default_factory=list)
    blocked_requests: list[str] = Field(default_factory=list)
    overflow_px: dict[str, int] = Field(default_factory=dict, description="viewport width → px")
    elements: list[ElementHealth] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.console_errors
            and not self.failed_requests
            and not self.blocked_requests
            and not any(self.overflow_px.values())
            and all(e.ok for e in self.elements)
        )

    def summary(self) -> str:
        broken = [e.id for e in self.elements if not e.ok]
        parts = [
            f"{sum(e.ok for e in self.elements)}/{len(self.elements)} media rendered",
            f"{len(self.console_errors)} console errors",
            self.blocked_summary(),
            f"{len(self.failed_requests)} failed requests",
            "horizontal overflow at " + ", ".join(f"{w}px" for w, px in self.overflow_px.items() if px)
            if any(self.overflow_px.values())
            else "no horizontal overflow",
        ]
        if broken:
            parts.append("broken: " + ", ".join(broken))
        return "; ".join(parts)

    def blocked_summary(self, shown: int = 3) -> str:
        """'N blocked requests', naming the first ``shown`` of them."""
        count = f"{len(self.blocked_requests)} blocked requests"
        if not self.blocked_requests:
            return count
        more = ", …" if len(self.blocked_requests) > shown else ""
        return f"{count} ({', '.join(self.blocked_requests[:shown])}{more})"
