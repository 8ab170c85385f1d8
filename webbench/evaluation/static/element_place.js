(el) => {
  // Where an element is: a CSS selector from its nearest ancestor (or itself) with an id, e.g.
  // `#pricing > div:nth-of-type(2) > p:nth-of-type(1)`, led by its section's id when that ancestor
  // lies inside the section; and the section: the nearest ancestor with an id that is a child of
  // <main> or <body>, else the nearest ancestor with an id.
  const hash = (node) => '#' + CSS.escape(node.id);
  const steps = [];
  let scope = el;
  for (; scope && scope !== document.documentElement && !scope.id; scope = scope.parentElement) {
    let n = 1;
    for (let sibling = scope.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      if (sibling.tagName === scope.tagName) n += 1;
    }
    steps.unshift(`${scope.tagName.toLowerCase()}:nth-of-type(${n})`);
  }
  const anchored = scope && scope.id ? scope : null;
  let section = null;
  for (let up = el; up && !section; up = up.parentElement) {
    if (up.id && up.parentElement && ['MAIN', 'BODY'].includes(up.parentElement.tagName)) section = up;
  }
  section = section || anchored;
  let selector = [anchored ? hash(anchored) : 'html', ...steps].join(' > ');
  if (section && anchored && section !== anchored) selector = `${hash(section)} ${selector}`;
  return { selector, section: section ? section.id : '' };
}
