async () => {
  await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)));
  const elements = Array.from(document.querySelectorAll('[data-asset-id]'));
  const videos = elements.filter((el) => el.dataset.assetKind === 'video');
  for (const video of videos) {
    if (video.paused) { try { await video.play(); } catch (e) { /* reported below */ } }
  }
  const before = new Map(videos.map((v) => [v, v.currentTime]));
  // Wait until every video's clock has moved (or 3 s on a busy machine), polling every 100 ms.
  for (let waited = 0; waited < 3000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (videos.every((v) => v.currentTime > before.get(v) || v.error)) break;
  }

  const inkShare = (canvas) => {
    const ctx = canvas.getContext('2d');
    if (!ctx || !canvas.width || !canvas.height) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 16) if (data[i] > 0) inked += 1;
    return inked / (data.length / 16);
  };

  return elements.map((el) => {
    const id = el.dataset.assetId;
    const kind = el.dataset.assetKind;
    if (kind === 'image') {
      const ok = el.complete && el.naturalWidth > 0;
      return { id, kind, ok, detail: ok ? `${el.naturalWidth}x${el.naturalHeight}` : 'image did not load' };
    }
    if (kind === 'video') {
      const advanced = el.currentTime > before.get(el);
      const ok = el.readyState >= 2 && advanced && !el.error;
      const source = el.currentSrc ? el.currentSrc.split('/').pop() : 'none';
      return { id, kind, ok, detail: `readyState ${el.readyState}, ${advanced ? 'playing' : 'not advancing'}, source ${source}` };
    }
    const chart = window.echarts && window.echarts.getInstanceByDom(el);
    const canvas = el.querySelector('canvas');
    const share = canvas ? inkShare(canvas) : 0;
    const ok = Boolean(chart) && share > 0.01;
    return { id, kind, ok, detail: chart ? `canvas ${(share * 100).toFixed(1)}% drawn` : 'chart did not initialise' };
  });
}
