() => Array.from(document.querySelectorAll('h1, h2, h3'))
  // Visible h1–h3 texts in document order, whitespace collapsed.
  .filter((el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
  .map((el) => el.innerText.replace(/\s+/g, ' ').trim())
  .filter(Boolean)
