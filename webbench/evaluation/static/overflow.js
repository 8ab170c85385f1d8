() => {
  // How far the page reaches past the right edge of the viewport, in px: its scrollable overflow, or the text
  // a reader loses because it runs past that edge where the page clips it instead (body { overflow-x: clip }).
  // Text inside a container that scrolls sideways (a table wrapper) or clips on purpose (a carousel, a card)
  // is not counted: the reader can scroll to it, or the design hides it.
  const width = document.documentElement.clientWidth;
  let past = document.documentElement.scrollWidth - width;
  const inOwnBox = (el) => {
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    range.selectNodeContents(node);
    let right = 0;
    for (const r of range.getClientRects()) right = Math.max(right, r.right);
    if (right - width <= past + 1 || !el.checkVisibility({ visibilityProperty: true }) || inOwnBox(el)) continue;
    past = Math.round(right - width);
  }
  return Math.max(0, past);
}
