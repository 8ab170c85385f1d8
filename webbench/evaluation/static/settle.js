async () => {
  // For pages without a readiness signal: fonts loaded, then until every canvas stops changing (at most 2 s).
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.race([document.fonts.ready, sleep(2000)]);
  const snapshot = () => Array.from(document.querySelectorAll('canvas'), (canvas) => {
    try { return canvas.toDataURL(); } catch (e) { return ''; }
  }).join('|');
  let last = snapshot();
  for (let waited = 0; waited < 2000; waited += 200) {
    await sleep(200);
    const now = snapshot();
    if (now === last) break;
    last = now;
  }
}
