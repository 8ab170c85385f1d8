(place) => {
  // The elements behind horizontal overflow, outermost first, at most 5: visible elements whose right
  // edge passes the viewport and sticks out of their parent's box, or whose own text runs past both
  // their box and the viewport; not those clipped by an ancestor that hides or scrolls its overflow.
  const limit = document.documentElement.clientWidth + 1;
  const range = document.createRange();
  const textRight = (el) => {
    let right = 0;
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) right = Math.max(right, r.right + scrollX);
    }
    return right;
  };
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible' && up.getBoundingClientRect().right + scrollX <= limit) return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (found.length >= 5) break;
    if (found.some((f) => f.el.contains(el)) || !el.checkVisibility()) continue;
    const right = el.getBoundingClientRect().right + scrollX;
    const parentRight = el.parentElement.getBoundingClientRect().right + scrollX;
    const text = textRight(el);
    const sticksOut = right > limit && right > parentRight + 1;
    const textOut = text > limit && text > right + 1;
    if ((sticksOut || textOut) && !clipped(el)) found.push({ el, cause: sticksOut ? 'box' : 'text', right: Math.max(right, text) });
  }
  return found.map(({ el, cause, right }) => ({ ...place(el), tag: el.tagName.toLowerCase(), cause, right }));
}
