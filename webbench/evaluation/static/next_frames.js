async () => {
  // Three animation frames: resize observers have run and what they redrew has been painted.
  for (let frame = 0; frame < 3; frame += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
}
