() => {
  // What a reader sees as text: the rendered text plus the placeholders of visible form fields.
  const fields = Array.from(document.querySelectorAll('input[placeholder], textarea[placeholder]'))
    .filter((el) => el.checkVisibility() && !el.value)
    .map((el) => el.placeholder);
  return [document.body.innerText, ...fields].join('\n');
}
