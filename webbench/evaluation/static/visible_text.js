() => {
  // What a reader sees as text, in reading order: the text of every text node a person could see, plus
  // the placeholders of visible empty form fields. Not seen: text under display:none or visibility:hidden,
  // under an opacity (own times inherited) below 0.1, with no box on the page or entirely outside it,
  // clipped away by an ancestor that hides its overflow, or painted in (almost) its background's colour
  // (contrast under 1.5:1, where the background is one known colour). Blocks end a line, as innerText does.
  const paint = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const rgba = (css) => {
    paint.clearRect(0, 0, 1, 1);
    paint.fillStyle = '#000';
    paint.fillStyle = css;
    paint.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = paint.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const over = (top, bottom) => [0, 1, 2].map((k) => top[k] * top[3] + bottom[k] * (1 - top[3]));
  const docWidth = document.documentElement.scrollWidth;
  const docHeight = document.documentElement.scrollHeight;
  const verdicts = new Map();

  // The opacity an element is painted with (its own times its ancestors'), and the viewport box its
  // ancestors' hidden overflow leaves it: both kept per element, so each element's style is read once.
  const opacities = new Map();
  const opacityOf = (el) => {
    if (!el || el === document.documentElement) return 1;
    if (!opacities.has(el)) opacities.set(el, parseFloat(getComputedStyle(el).opacity) * opacityOf(el.parentElement));
    return opacities.get(el);
  };
  const clips = new Map();
  const clipOf = (el) => {
    const parent = el.parentElement;
    if (!parent || parent === document.body || parent === document.documentElement) return [-Infinity, -Infinity, Infinity, Infinity];
    if (!clips.has(el)) {
      const outer = clipOf(parent);
      const style = getComputedStyle(parent);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') clips.set(el, outer);
      else {
        const r = parent.getBoundingClientRect();
        clips.set(el, [Math.max(outer[0], r.left), Math.max(outer[1], r.top), Math.min(outer[2], r.right), Math.min(outer[3], r.bottom)]);
      }
    }
    return clips.get(el);
  };

  // Whether an element's own text could be seen.
  const seen = (el) => {
    if (verdicts.has(el)) return verdicts.get(el);
    let verdict = el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && opacityOf(el) >= 0.1;
    if (verdict) {
      const box = el.getBoundingClientRect();
      const [x, y] = [box.left + scrollX, box.top + scrollY];
      const [left, top, right, bottom] = clipOf(el);
      verdict = box.width * box.height >= 4 && x + box.width > 0 && y + box.height > 0 && x < docWidth && y < docHeight
        && box.right > left && box.left < right && box.bottom > top && box.top < bottom;
    }
    if (verdict) {
      const ink = rgba(getComputedStyle(el).color);
      const layers = [];
      for (let node = el; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.backgroundImage !== 'none' || ['IMG', 'VIDEO', 'CANVAS'].includes(node.tagName)) { layers.length = 0; layers.push(null); break; }
        const colour = rgba(style.backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] >= 1) break;
      }
      if (layers[0] !== null) {
        let ground = [255, 255, 255];
        for (const layer of layers.reverse()) ground = over(layer, ground);
        verdict = ink[3] >= 0.1 && contrast(over(ink, ground), ground) >= 1.5;
      }
    }
    verdicts.set(el, verdict);
    return verdict;
  };

  const BLOCK = /^(block|flex|grid|list-item|table|table-row|table-caption|flow-root)$/;
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.textContent.trim()) parts.push(' '); // the space between two inline elements
      else if (seen(node.parentElement)) parts.push(node.textContent.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(node.tagName)) return;
    if (node.tagName === 'BR') { parts.push('\n'); return; }
    const display = getComputedStyle(node).display;
    if (display === 'none') return;
    const block = BLOCK.test(display);
    if (block) parts.push('\n');
    for (const child of node.childNodes) walk(child);
    if (block) parts.push('\n');
    else if (display === 'table-cell') parts.push(' ');
  };
  walk(document.body);
  const fields = Array.from(document.querySelectorAll('input[placeholder], textarea[placeholder]'))
    .filter((el) => el.checkVisibility() && !el.value)
    .map((el) => el.placeholder);
  const text = parts.join('').split('\n').map((line) => line.trim()).filter(Boolean).join('\n');
  return [text, ...fields].join('\n');
}
