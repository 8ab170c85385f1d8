() => {
  // Colours a reader can see: text, backgrounds, gradients, shadows, and borders or outlines that are drawn.
  const props = ['color', 'background-color', 'background-image', 'box-shadow', 'text-decoration-color'];
  const drawn = (style, side) => style.getPropertyValue(`border-${side}-style`) !== 'none'
    && parseFloat(style.getPropertyValue(`border-${side}-width`)) > 0;
  const found = new Set();
  for (const el of document.querySelectorAll('body, body *')) {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const style = getComputedStyle(el);
    const visible = props.slice();
    for (const side of ['top', 'right', 'bottom', 'left']) if (drawn(style, side)) visible.push(`border-${side}-color`);
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) visible.push('outline-color');
    for (const p of visible) {
      for (const m of style.getPropertyValue(p).matchAll(/rgba?\(([^)]+)\)/g)) {
        const [r, g, b, a] = m[1].split(/[ ,\/]+/).map(Number);
        if (a === 0) continue;
        found.add('#' + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('').toUpperCase());
      }
    }
  }
  return Array.from(found);
}
