"""Independent checks of a built page in real Chromium, written without the agent's render code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from webagent.core.render import serve_folder

MEDIA_JS = """
async () => {
  const videos = Array.from(document.querySelectorAll('video'));
  const t0 = videos.map((v) => v.currentTime);
  for (let waited = 0; waited < 5000 && !videos.every((v, i) => v.currentTime > t0[i]); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const charts = Array.from(document.querySelectorAll('[data-asset-kind="chart"]')).map((el) => {
    const inst = window.echarts && window.echarts.getInstanceByDom(el);
    const canvas = el.querySelector('canvas');
    let inked = 0, total = 0;
    if (canvas) {
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < d.length; i += 4) { total += 1; if (d[i] > 0) inked += 1; }
    }
    const option = inst ? inst.getOption() : null;
    return { id: el.dataset.assetId, ink: total ? inked / total : 0,
             series: option ? option.series.map((s) => s.data) : null,
             xAxis: option && option.xAxis ? option.xAxis.map((a) => a.data) : null,
             yAxis: option && option.yAxis ? option.yAxis.map((a) => a.data) : null,
             radar: option && option.radar ? option.radar.map((r) => r.indicator.map((i) => i.name)) : null };
  });
  return {
    images: Array.from(document.images).map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })),
    videos: videos.map((v, i) => ({ src: v.currentSrc, ready: v.readyState, advanced: v.currentTime > t0[i] })),
    charts,
  };
}
"""


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    media: dict[str, Any] = field(default_factory=dict)
    overflow: dict[int, int] = field(default_factory=dict)


def check_page(browser: Any, folder: Path) -> PageReport:
    """Open folder/index.html at 1440 px and 390 px and report what a person would see."""
    report = PageReport()
    with serve_folder(folder) as origin:
        context = browser.new_context(viewport={"width": 1440, "height": 900})

        def guard(route: Any) -> None:
            if route.request.url.startswith(origin + "/"):
                route.continue_()
            else:
                report.outside_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and report.console_errors.append(m.text))
        page.on("pageerror", lambda e: report.console_errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and report.failed.append(r.url))
        page.goto(f"{origin}/index.html", wait_until="load")
        page.wait_for_timeout(500)
        report.media = page.evaluate(MEDIA_JS)
        for width in (1440, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(200)
            report.overflow[width] = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        context.close()
    return report


def evaluate_on_page(browser_session: Any, folder: Path, script: str, width: int = 1440) -> Any:
    """What ``script`` returns on folder/index.html, loaded in the session's Chromium at ``width`` px."""

    def read(browser: Any) -> Any:
        with serve_folder(folder) as origin:
            page = browser.new_page(viewport={"width": width, "height": 900})
            try:
                page.goto(f"{origin}/index.html")
                return page.evaluate(script)
            finally:
                page.close()

    return browser_session.call(read)
