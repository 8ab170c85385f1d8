async () => {
  // As a screenshot with animations disabled: finite animations jump to their end, endless ones to their start.
  for (const animation of document.getAnimations()) {
    try {
      if (animation.effect && animation.effect.getComputedTiming().endTime === Infinity) animation.cancel();
      else animation.finish();
    } catch (e) { /* an animation that cannot finish (e.g. zero playback rate) is left as it is */ }
  }
  // Videos stop on their first frame, once it is decoded, so the same page always gives the same picture.
  const once = (video, events, ms) => new Promise((done) => {
    for (const name of events) video.addEventListener(name, done, { once: true });
    setTimeout(done, ms);
  });
  await Promise.all(Array.from(document.querySelectorAll('video')).map(async (video) => {
    video.pause();
    if (video.readyState < 2) await once(video, ['loadeddata', 'error'], 15000);  // generous: a busy machine decodes late
    if (video.readyState < 2) return;
    const seeked = once(video, ['seeked'], 10000);
    video.currentTime = 0;
    await seeked;
  }));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}
