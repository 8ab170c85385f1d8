() => {
  const props = ['color', 'background-color', 'border-top-color', 'border-right-color', 'border-bottom-color',
                 'border-left-color', 'outline-color', 'background-image', 'box-shadow', 'text-decoration-color'];
  const found = new Set();
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    for (const p of props) {
      for (const m of style.getPropertyValue(p).matchAll(/rgba?\(([^)]+)\)/g)) {
        const [r, g, b, a] = m[1].split(/[ ,\/]+/).map(Number);
        if (a === 0) continue;
        found.add('#' + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('').toUpperCase());
      }
    }
  }
  return Array.from(found);
}
