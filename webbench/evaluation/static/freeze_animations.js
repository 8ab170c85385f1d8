() => {
  // As a screenshot with animations disabled: finite animations jump to their end, endless ones to their start.
  for (const animation of document.getAnimations()) {
    try {
      if (animation.effect && animation.effect.getComputedTiming().endTime === Infinity) animation.cancel();
      else animation.finish();
    } catch (e) { /* an animation that cannot finish (e.g. zero playback rate) is left as it is */ }
  }
}
