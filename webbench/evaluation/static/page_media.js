async () => {
  // Every visible <img>, <video> and chart of the page in document order, with what the browser made of it.
  // A chart is an element ECharts owns, a [data-asset-kind=chart] container, or a canvas of at least
  // 100×100 px outside both. Visible: not display:none or visibility:hidden, an opacity (own times
  // inherited) of at least 0.1, and a box not entirely outside the page.
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const echarts = window.echarts && typeof window.echarts.getInstanceByDom === 'function' ? window.echarts : null;

  for (const img of document.images) if (img.loading === 'lazy') img.loading = 'eager';
  const decoded = Promise.all(Array.from(document.images, (img) => img.decode().catch(() => null)));
  await Promise.race([decoded, sleep(3000)]);

  const docWidth = document.documentElement.scrollWidth;
  const docHeight = document.documentElement.scrollHeight;
  const seen = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    let opacity = 1;
    for (let node = el; node && node !== document.documentElement; node = node.parentElement) {
      opacity *= parseFloat(getComputedStyle(node).opacity);
    }
    const box = el.getBoundingClientRect();
    const [x, y] = [box.left + scrollX, box.top + scrollY];
    return opacity >= 0.1 && x + box.width > 0 && y + box.height > 0 && x < docWidth && y < docHeight;
  };

  const found = [];
  let chartRoot = null;
  for (const el of document.querySelectorAll('body *')) {
    if (chartRoot && chartRoot.contains(el)) continue;
    let kind = null;
    if (el.tagName === 'IMG') kind = 'image';
    else if (el.tagName === 'VIDEO') kind = 'video';
    else if ((echarts && echarts.getInstanceByDom(el)) || el.matches('[data-asset-kind="chart"]')) {
      kind = 'chart';
      chartRoot = el;
    } else if (el.tagName === 'CANVAS' && el.offsetWidth >= 100 && el.offsetHeight >= 100) kind = 'chart';
    if (kind && seen(el)) found.push({ el, kind });
  }

  // Videos play (muted) and must move their clock within 2 s.
  const videos = found.filter((f) => f.kind === 'video').map((f) => f.el);
  for (const video of videos) {
    if (video.paused) { video.muted = true; video.play().catch(() => null); }
  }
  const before = new Map(videos.map((v) => [v, v.currentTime]));
  for (let waited = 0; videos.length && waited < 2000; waited += 100) {
    await sleep(100);
    if (videos.every((v) => v.currentTime !== before.get(v) || v.error)) break;
  }

  const inkShare = (canvas) => {
    if (!canvas.width || !canvas.height) return 0;
    try {
      const scratch = document.createElement('canvas');
      scratch.width = canvas.width;
      scratch.height = canvas.height;
      const ctx = scratch.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < data.length; i += 16) if (data[i] > 0) inked += 1;
      return inked / (data.length / 16);
    } catch (e) {
      return 0;
    }
  };
  const chartDrawn = (el) => {
    const canvases = el.tagName === 'CANVAS' ? [el] : Array.from(el.querySelectorAll('canvas'));
    if (canvases.some((c) => inkShare(c) > 0.01)) return true;
    return Boolean(el.querySelector('svg path, svg rect, svg circle, svg polyline, svg polygon'));
  };
  const jsonSafe = (value, ancestors) => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (value instanceof Date) return value.toISOString();
    if (typeof value !== 'object' || ancestors.includes(value) || ancestors.length > 16) return null;
    const inner = [...ancestors, value];
    if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value, (v) => jsonSafe(v, inner));
    return Object.fromEntries(Object.entries(value)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .map(([k, v]) => [k, jsonSafe(v, inner)]));
  };
  const px = (style, name) => parseFloat(style.getPropertyValue(name)) || 0;

  return found.map(({ el, kind }) => {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const drawn = rect.width >= 1 && rect.height >= 1;
    const record = {
      kind,
      assetId: el.getAttribute('data-asset-id') || '',
      src: '',
      box: { x: rect.left + scrollX, y: rect.top + scrollY, width: rect.width, height: rect.height },
      natural: null,
      rendered: false,
      html: (el.parentElement || el).outerHTML,
      option: null,
      fit: style.objectFit,
      content: [
        rect.width - px(style, 'padding-left') - px(style, 'padding-right')
          - px(style, 'border-left-width') - px(style, 'border-right-width'),
        rect.height - px(style, 'padding-top') - px(style, 'padding-bottom')
          - px(style, 'border-top-width') - px(style, 'border-bottom-width'),
      ],
    };
    if (kind === 'image') {
      record.src = el.currentSrc || el.src;
      record.natural = el.naturalWidth ? [el.naturalWidth, el.naturalHeight] : null;
      record.rendered = drawn && el.complete && el.naturalWidth > 0;
    } else if (kind === 'video') {
      const source = el.querySelector('source[src]');
      record.src = el.currentSrc || el.src || (source ? source.src : '');
      record.natural = el.videoWidth ? [el.videoWidth, el.videoHeight] : null;
      record.rendered = drawn && !el.error && el.readyState >= 2 && el.currentTime !== before.get(el);
    } else {
      const chart = echarts && echarts.getInstanceByDom(el);
      record.option = chart ? jsonSafe(chart.getOption(), []) : null;
      record.rendered = drawn && chartDrawn(el);
    }
    return record;
  });
}
