(place) => {
  // Visible elements that own text (a non-blank text node child), in document order: a short text,
  // where they are (selector and section, from ``place``), the page boxes of their text lines, font
  // size and weight, the painted text colour, the opacity down to their background, and the
  // background layers up to the first opaque one (null when an image, gradient or media element
  // lies behind the text, so no single colour is known).
  const paint = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const rgbaCache = new Map();
  const rgba = (css) => {
    if (!rgbaCache.has(css)) {
      paint.clearRect(0, 0, 1, 1);
      paint.fillStyle = '#000';
      paint.fillStyle = css;
      paint.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = paint.getImageData(0, 0, 1, 1).data;
      rgbaCache.set(css, [r, g, b, a / 255]);
    }
    return rgbaCache.get(css);
  };
  const pageBox = (r) => [r.left + scrollX, r.top + scrollY, r.width, r.height];
  const intersects = (a, b) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
  const visible = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const media = Array.from(document.querySelectorAll('img, video, canvas, svg, iframe, object, embed'))
    .filter(visible).map((el) => pageBox(el.getBoundingClientRect()));

  const background = (el) => {
    const layers = [];
    let opacity = 1;
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none') return { layers: null, opacity };
      const colour = rgba(style.backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
      opacity *= parseFloat(style.opacity);
    }
    return { layers, opacity };
  };

  const range = document.createRange();
  const elements = [];
  const blocks = [];
  for (const el of document.querySelectorAll('body, body *')) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!own.length || !visible(el)) continue;
    const outer = el.getBoundingClientRect();
    if (outer.width * outer.height < 4) continue; // screen-reader-only text
    const rects = [];
    for (const node of own) {
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) rects.push(pageBox(r));
    }
    if (!rects.length) continue;
    const style = getComputedStyle(el);
    const { layers, opacity } = background(el);
    const overMedia = rects.some((r) => media.some((m) => intersects(r, m)));
    elements.push(el);
    blocks.push({
      text: own.map((n) => n.textContent).join(' ').replace(/\s+/g, ' ').trim(),
      ...place(el),
      rects,
      size: parseFloat(style.fontSize),
      weight: parseInt(style.fontWeight, 10) || 400,
      colour: rgba(style.webkitTextFillColor || style.color),
      opacity,
      layers: overMedia ? null : layers,
      ancestors: [],
    });
  }
  const indexOf = new Map(elements.map((el, i) => [el, i]));
  elements.forEach((el, i) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (indexOf.has(node)) blocks[i].ancestors.push(indexOf.get(node));
    }
  });
  return blocks;
}
