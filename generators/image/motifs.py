"""The motifs (landscape, city, ocean, portrait, product, food, geometric, abstract) drawn on a ``Scene``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from webagent.generators.image.canvas import (
    WHITE,
    Canvas,
    Colour,
    Glow,
    Gradient,
    Random,
    Shape,
    arc_polygon,
    circle,
    ellipse,
    glow_field,
    mix,
    polygon,
    rect,
)
from webagent.generators.image.scheme import Scheme
from webagent.generators.image.words import has_word


@dataclass
class Scene:
    """Everything a motif draws with."""

    canvas: Canvas
    scheme: Scheme
    rng: Random
    words: str
    composition: str

    @property
    def subject_x(self) -> float:
        """Where the main subject stands horizontally, from the composition cue and the shape."""
        width = self.canvas.width
        if "left" in self.composition:
            return width * 0.36
        if "right" in self.composition or width > self.canvas.height * 1.45:
            return width * 0.64
        return width * 0.5


def ridge(
    scene: Scene, base: float, amplitude: float, frequencies: Sequence[float], sharp: bool = False, points: int = 140
) -> list[tuple[float, float]]:
    """A wavy skyline from left to right: the sum of random-phase sines, peaked when ``sharp``."""
    width = scene.canvas.width
    xs = np.linspace(-0.02 * width, 1.02 * width, points)
    profile = np.zeros(points)
    for i, frequency in enumerate(frequencies):
        wave = np.sin(2 * math.pi * frequency * xs / width + scene.rng.uniform(0, 2 * math.pi))
        profile += (1 - np.abs(wave) if sharp else wave) / (i + 1)
    profile = (profile - profile.min()) / max(np.ptp(profile), 1e-9)
    return list(zip(xs.tolist(), (base - amplitude * profile).tolist()))


def below(line: list[tuple[float, float]], bottom: float) -> Shape:
    """The area under a left-to-right line, down to ``bottom``."""
    return polygon([*line, (line[-1][0], bottom), (line[0][0], bottom)])


def band(line: list[tuple[float, float]], thickness: float) -> Shape:
    """A strip of ``thickness`` pixels hanging under a line."""
    return polygon([*line, *[(x, y + thickness) for x, y in reversed(line)]])


def draw_landscape(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    width, height, unit = canvas.width, canvas.height, canvas.unit
    horizon = sc.light(sc.accent, 0.6)
    canvas.backdrop(Gradient((sc.light(sc.secondary, 0.15), sc.light(mix(sc.secondary, sc.accent, 0.5), 0.4), horizon)))
    canvas.sun(width * rng.uniform(0.22, 0.78), height * rng.uniform(0.2, 0.34), unit * 0.08, sc.light(sc.accent, 0.7))
    sharp = has_word(scene.words, ("mountain", "peak", "alpine", "summit", "ski", "snow"))
    forest = has_word(scene.words, ("forest", "tree", "wood", "woods", "pine", "jungle", "park"))
    far, near = mix(horizon, sc.secondary, 0.45), sc.deep(sc.primary, 0.45)
    layers = 5
    for i in range(layers):
        depth = (i + 1) / layers
        base = height * (0.5 + 0.42 * depth)
        amplitude = height * ((0.3 - 0.14 * depth) if sharp else (0.14 - 0.06 * depth))
        line = ridge(scene, base, amplitude, (1.1 + i * 0.3, 2.3, 4.7), sharp=sharp and i < 3)
        colour = mix(far, near, depth**0.85)
        shapes = [below(line, height + 2)]
        if forest and i >= layers - 3:
            shapes += pines(scene, line, unit * (0.05 + 0.05 * depth))
        canvas.fill(shapes, Gradient((sc.light(colour, 0.12), colour, sc.deep(colour, 0.15))))
        if i < layers - 1:
            haze_top = base - amplitude * 0.35
            canvas.fill(
                [rect(-width * 0.1, haze_top, width * 1.1, base + height * 0.05)],
                horizon,
                opacity=0.28,
                blur=height * 0.035,
            )


def pines(scene: Scene, line: list[tuple[float, float]], size: float) -> list[Shape]:
    """Stylised pine trees standing on a ridge line."""
    xs, ys = np.array([p[0] for p in line]), np.array([p[1] for p in line])
    trees, x = [], scene.rng.uniform(0, size)
    while x < scene.canvas.width + size:
        tall = size * scene.rng.uniform(0.7, 1.3)
        foot = float(np.interp(x, xs, ys)) + tall * 0.15
        half = tall * 0.28
        upper = foot - tall * 0.35
        trees += [
            polygon([(x - half, foot), (x, foot - tall), (x + half, foot)]),
            polygon([(x - half * 0.8, upper), (x, foot - tall * 1.15), (x + half * 0.8, upper)]),
        ]
        x += size * scene.rng.uniform(0.35, 1.6)
    return trees


def draw_city(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    width, height, unit = canvas.width, canvas.height, canvas.unit
    horizon = sc.light(sc.accent, 0.4)
    canvas.backdrop(Gradient((sc.deep(sc.primary, 0.55), mix(sc.primary, sc.secondary, 0.55), horizon, horizon)))
    canvas.sun(width * rng.uniform(0.6, 0.85), height * rng.uniform(0.16, 0.3), unit * 0.055, sc.light(sc.accent, 0.55))
    lit = sc.light(sc.accent, 0.45)
    for depth, tallest in ((0.5, 0.62), (0.75, 0.48), (1.0, 0.34)):
        colour = mix(mix(horizon, sc.secondary, 0.3), sc.deep(sc.primary, 0.65), depth)
        buildings, windows = skyline_row(scene, tallest, depth)
        canvas.fill(buildings, Gradient((sc.light(colour, 0.1), colour)))
        canvas.fill(windows, lit, opacity=0.35, blur=unit * 0.008)
        canvas.fill(windows, lit, opacity=0.5 + 0.5 * depth)


def skyline_row(scene: Scene, tallest: float, depth: float) -> tuple[list[Shape], list[Shape]]:
    """One row of towers across the width, and the lit windows on them."""
    canvas, rng = scene.canvas, scene.rng
    unit, height = canvas.unit, canvas.height
    buildings: list[Shape] = []
    windows: list[Shape] = []
    x = -rng.uniform(0, unit * 0.05)
    while x < canvas.width:
        wide = unit * rng.uniform(0.07, 0.15)
        tall = height * tallest * rng.uniform(0.5, 1.0)
        top = height - tall
        buildings.append(rect(x, top, x + wide, height + 2))
        if rng.random() < 0.35:
            buildings.append(rect(x + wide * 0.2, top - tall * 0.1, x + wide * 0.8, top + 1))
        if rng.random() < 0.2:
            buildings.append(rect(x + wide * 0.47, top - tall * 0.28, x + wide * 0.53, top + 1))
        if depth > 0.5:
            windows += lit_windows(scene, x, top, wide)
        x += wide + unit * rng.uniform(0.0, 0.012)
    return buildings, windows


def lit_windows(scene: Scene, left: float, top: float, wide: float) -> list[Shape]:
    unit, rng = scene.canvas.unit, scene.rng
    pitch_x, pitch_y = unit * 0.026, unit * 0.036
    columns = max(1, int((wide - pitch_x * 0.6) / pitch_x))
    margin = (wide - columns * pitch_x) / 2
    windows = []
    y = top + pitch_y * 0.8
    while y < scene.canvas.height:
        for c in range(columns):
            if rng.random() < 0.32:
                wx = left + margin + c * pitch_x + pitch_x * 0.25
                windows.append(rect(wx, y, wx + pitch_x * 0.5, y + pitch_y * 0.45))
        y += pitch_y
    return windows


def draw_ocean(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    width, height, unit = canvas.width, canvas.height, canvas.unit
    horizon_y = height * rng.uniform(0.44, 0.52)
    horizon = sc.light(mix(sc.accent, sc.secondary, 0.35), 0.45)
    canvas.backdrop(Gradient((sc.light(sc.secondary, 0.1), horizon, horizon)))
    sun_x, sun_colour = width * rng.uniform(0.3, 0.7), sc.light(sc.accent, 0.75)
    canvas.sun(sun_x, horizon_y - unit * 0.03, unit * 0.09, sun_colour)
    far, near = mix(horizon, sc.secondary, 0.55), sc.deep(sc.primary, 0.4)
    layers = 7
    for i in range(layers):
        depth = i / (layers - 1)
        base = horizon_y + (height - horizon_y) * 0.92 * depth**1.5
        amplitude = unit * (0.004 + 0.045 * depth)
        line = ridge(scene, base, amplitude, (3.0 - 1.5 * depth, 6.5 - 3 * depth, 11.0))
        colour = mix(far, near, depth**0.8)
        canvas.fill([below(line, height + 2)], Gradient((sc.light(colour, 0.18), colour)))
        canvas.fill([band(line, unit * (0.002 + 0.007 * depth))], sc.light(colour, 0.55), opacity=0.55)
    glitter = []
    for k in range(14):
        t = k / 13
        y = horizon_y + (height - horizon_y) * 0.85 * t**1.4 + unit * 0.01
        half = unit * (0.03 + 0.1 * t) * rng.uniform(0.4, 1.0)
        x = sun_x + unit * rng.uniform(-0.02, 0.02)
        glitter.append(ellipse(x - half, y, x + half, y + unit * (0.004 + 0.008 * t)))
    canvas.fill(glitter, sun_colour, opacity=0.55, blur=unit * 0.003)
    if has_word(scene.words, ("beach", "shore", "coast", "sand", "island", "seaside")):
        shore = [
            (x, height * (0.8 + 0.14 * x / width) + unit * 0.01 * math.sin(x / unit * 9))
            for x in np.linspace(-2, width + 2, 60)
        ]
        sand = Gradient((sc.light(sc.accent, 0.6), mix(sc.light(sc.accent, 0.4), sc.surface, 0.4)))
        canvas.fill([below(shore, height + 2)], sand)
        canvas.fill([band(shore, unit * 0.008)], WHITE, opacity=0.75)


def draw_portrait(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    height, unit = canvas.height, canvas.unit
    canvas.backdrop(Gradient((sc.light(sc.secondary, 0.72), sc.light(sc.accent, 0.6)), angle=35))
    cx, cy = scene.subject_x, height * 0.5
    size = min(canvas.width * 0.8, height)
    disc = size * 0.4
    backing, coat = ((sc.secondary, sc.primary), (sc.accent, sc.primary), (sc.light(sc.primary, 0.35), sc.secondary))[
        int(rng.integers(3))
    ]
    canvas.fill([circle(cx, cy, disc)], Gradient((sc.light(backing, 0.15), backing, sc.deep(backing, 0.1))))
    ring = circle(cx + disc * 0.12, cy - disc * 0.04, disc * 1.14, outline=unit * 0.006)
    canvas.fill([ring], sc.accent, opacity=0.85)
    dots = [
        circle(cx - disc * 1.05 + c * unit * 0.03, cy - disc * 0.95 + r * unit * 0.03, unit * 0.006)
        for r in range(4)
        for c in range(4)
    ]
    canvas.fill(dots, sc.deep(sc.primary, 0.3), opacity=0.7)
    canvas.fill([circle(cx + disc * 0.92, cy + disc * 0.6, disc * 0.16)], sc.accent)
    draw_bust(scene, cx, cy - size * 0.1, size, coat)


def draw_bust(scene: Scene, cx: float, head_y: float, size: float, coat: Colour) -> None:
    """A faceless head-and-shoulders figure with one of three hair styles."""
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    r = size * 0.12
    head = [
        ellipse(cx - r * 0.86, head_y - r, cx + r * 0.86, head_y + r * 1.08),
        rect(cx - r * 0.4, head_y, cx + r * 0.4, head_y + r * 1.9, radius=r * 0.2),
    ]
    shoulders_y = head_y + r * 1.55
    shoulders = [
        ellipse(cx - size * 0.28, shoulders_y, cx + size * 0.28, shoulders_y + size * 0.44),
        rect(cx - size * 0.28, shoulders_y + size * 0.22, cx + size * 0.28, canvas.height + 2),
    ]
    cap = ellipse(cx - r * 0.98, head_y - r * 1.16, cx + r * 0.98, head_y + r * 0.25)
    style = int(rng.integers(3))
    long_hair = rect(cx - r * 1.02, head_y - r * 0.4, cx + r * 1.02, head_y + r * 1.7, radius=r * 0.5)
    hair_back = [long_hair] if style == 1 else []
    hair = [cap, circle(cx, head_y - r * 1.2, r * 0.42)] if style == 2 else [cap]
    if style == 0:
        hair.append(ellipse(cx - r * 1.02, head_y - r * 0.7, cx - r * 0.35, head_y + r * 0.9 * rng.uniform(0.4, 1.0)))
    skin = mix(sc.deep(sc.primary, 0.55), sc.accent, 0.15)
    canvas.shadow(head + shoulders, sc.ink, size * 0.02, size * 0.025, size * 0.03, opacity=0.25)
    canvas.fill(shoulders, Gradient((sc.light(coat, 0.1), sc.deep(coat, 0.25))))
    collar = [(cx - r * 0.55, shoulders_y), (cx, head_y + r * 2.5), (cx + r * 0.55, shoulders_y)]
    canvas.fill([polygon(collar)], sc.light(sc.surface, 0.4))
    canvas.fill(hair_back, sc.deep(skin, 0.6))
    canvas.fill(head, Gradient((sc.light(skin, 0.08), skin), angle=60))
    canvas.fill(hair, sc.deep(skin, 0.6))


def draw_product(scene: Scene) -> None:
    canvas, sc = scene.canvas, scene.scheme
    width, height, unit = canvas.width, canvas.height, canvas.unit
    floor_y = height * 0.74
    canvas.backdrop(Gradient((sc.light(sc.surface, 0.4), mix(sc.surface, sc.secondary, 0.28))))
    canvas.fill(
        [rect(-10, floor_y, width + 10, height + 10)],
        Gradient((mix(sc.surface, sc.secondary, 0.42), mix(sc.surface, sc.primary, 0.3))),
        blur=unit * 0.006,
    )
    cx = scene.subject_x
    canvas.fill([circle(cx, height * 0.42, unit * 0.3)], sc.light(sc.accent, 0.25), opacity=0.9)
    rx, ry = unit * 0.25, unit * 0.045
    top, bottom = height * 0.66, height * 0.66 + height * 0.17
    floor_shadow = ellipse(cx - rx * 1.15, bottom - ry * 0.6, cx + rx * 1.6, bottom + ry * 1.6)
    canvas.fill([floor_shadow], sc.ink, opacity=0.3, blur=unit * 0.03)
    body = mix(sc.surface, sc.primary, 0.2)
    canvas.fill(
        [rect(cx - rx, top, cx + rx, bottom), ellipse(cx - rx, bottom - ry, cx + rx, bottom + ry)],
        Gradient((sc.light(body, 0.25), sc.light(body, 0.45), body, sc.deep(body, 0.25)), angle=0),
    )
    canvas.fill([ellipse(cx - rx, top - ry, cx + rx, top + ry)], sc.light(body, 0.55))
    contact_shadow = ellipse(cx - rx * 0.55, top - ry * 0.5, cx + rx * 0.75, top + ry * 0.7)
    canvas.fill([contact_shadow], sc.ink, opacity=0.28, blur=unit * 0.012)
    draw_object = next((draw for words, draw in PRODUCT_OBJECTS if has_word(scene.words, words)), draw_sphere)
    draw_object(scene, cx, top, unit * 0.2)


def glossy(colour: Colour, scheme: Scheme) -> Gradient:
    """Side-lit cylinder shading for objects on the plinth."""
    stops = (scheme.deep(colour, 0.15), scheme.light(colour, 0.3), colour, scheme.deep(colour, 0.35))
    return Gradient(stops, angle=0)


def draw_bottle(scene: Scene, cx: float, base: float, size: float) -> None:
    canvas, sc = scene.canvas, scene.scheme
    half, tall = size * 0.34, size * 1.45
    shoulder = base - tall
    neck = rect(cx - half * 0.36, shoulder - size * 0.32, cx + half * 0.36, shoulder + half * 0.5, radius=half * 0.12)
    cap = rect(cx - half * 0.44, shoulder - size * 0.5, cx + half * 0.44, shoulder - size * 0.28, radius=half * 0.1)
    canvas.fill([neck], glossy(sc.deep(sc.primary, 0.2), sc))
    canvas.fill([cap], glossy(sc.accent, sc))
    canvas.fill([rect(cx - half, shoulder, cx + half, base, radius=half * 0.45)], glossy(sc.primary, sc))
    label = rect(cx - half, base - tall * 0.62, cx + half, base - tall * 0.3)
    canvas.fill([label], glossy(sc.light(sc.surface, 0.5), sc))
    highlight = rect(cx - half * 0.55, base - tall * 0.92, cx - half * 0.38, base - tall * 0.1)
    canvas.fill([highlight], WHITE, opacity=0.35, blur=size * 0.02)


def draw_book(scene: Scene, cx: float, base: float, size: float) -> None:
    canvas, sc = scene.canvas, scene.scheme
    half, tall, depth = size * 0.5, size * 1.4, size * 0.16
    left, right, top = cx - half, cx + half, base - tall
    lift = depth * 0.6
    pages = [(right, top), (right + depth, top - lift), (right + depth, base - lift), (right, base)]
    canvas.fill([polygon(pages)], Gradient((sc.light(sc.surface, 0.7), sc.light(sc.surface, 0.3)), angle=0))
    board = [(left, top), (left + depth, top - lift), (right + depth, top - lift), (right, top)]
    canvas.fill([polygon(board)], sc.deep(sc.primary, 0.1))
    cover = Gradient((sc.light(sc.primary, 0.1), sc.deep(sc.primary, 0.2)), angle=70)
    canvas.fill([rect(left, top, right, base)], cover)
    canvas.fill([rect(left, top, left + size * 0.07, base)], sc.deep(sc.primary, 0.35))
    canvas.fill([circle(cx + size * 0.05, top + tall * 0.4, size * 0.24)], sc.accent)
    rule = rect(left + size * 0.18, top + tall * 0.72, right - size * 0.12, top + tall * 0.76)
    canvas.fill([rule], sc.light(sc.secondary, 0.3))


def draw_device(scene: Scene, cx: float, base: float, size: float) -> None:
    canvas, sc = scene.canvas, scene.scheme
    half, tall = size * 0.42, size * 1.6
    frame = rect(cx - half, base - tall, cx + half, base, radius=size * 0.1)
    canvas.fill([frame], sc.deep(sc.ink, 0.2))
    inset = size * 0.04
    screen = (cx - half + inset, base - tall + inset, cx + half - inset, base - inset)
    canvas.fill([rect(*screen, radius=size * 0.07)], Gradient((sc.secondary, sc.accent), angle=60))
    rows = [(screen[1] + tall * (0.18 + 0.14 * i), screen[2] - inset * (2 + 6 * (i % 2))) for i in range(4)]
    blocks = [rect(screen[0] + inset * 2, y, right, y + tall * 0.08, radius=size * 0.03) for y, right in rows]
    canvas.fill(blocks, WHITE, opacity=0.45)


def draw_watch(scene: Scene, cx: float, base: float, size: float) -> None:
    canvas, sc = scene.canvas, scene.scheme
    r = size * 0.42
    cy = base - size * 0.95
    strap = sc.deep(sc.primary, 0.3)
    band = rect(cx - r * 0.62, cy - size * 0.95, cx + r * 0.62, base, radius=r * 0.2)
    canvas.fill([band], Gradient((sc.light(strap, 0.15), strap), angle=0))
    canvas.shadow([circle(cx, cy, r)], sc.ink, size * 0.03, size * 0.04, size * 0.05, opacity=0.35)
    canvas.fill([circle(cx, cy, r)], Gradient((sc.light(sc.surface, 0.7), sc.deep(sc.surface, 0.25)), angle=45))
    canvas.fill([circle(cx, cy, r * 0.84)], Gradient((sc.deep(sc.primary, 0.5), sc.deep(sc.primary, 0.7)), angle=60))
    hands = []
    for angle, length in ((math.radians(-60), 0.7), (math.radians(200), 0.5)):
        dx, dy = math.cos(angle) * r, math.sin(angle) * r
        hands.append(
            polygon(
                [
                    (cx - dy * 0.03, cy + dx * 0.03),
                    (cx + dx * length, cy + dy * length),
                    (cx + dy * 0.03, cy - dx * 0.03),
                ]
            )
        )
    canvas.fill(hands, sc.accent)
    canvas.fill([circle(cx, cy, r * 0.05)], sc.light(sc.accent, 0.4))


def draw_sphere(scene: Scene, cx: float, base: float, size: float) -> None:
    canvas, sc = scene.canvas, scene.scheme
    r = size * 0.6
    cy = base - r * 0.92
    shading = Gradient((sc.light(sc.primary, 0.35), sc.primary, sc.deep(sc.primary, 0.45)), angle=55)
    canvas.fill([circle(cx, cy, r)], shading)
    canvas.fill([circle(cx - r * 0.35, cy - r * 0.38, r * 0.22)], WHITE, opacity=0.45, blur=r * 0.12)


PRODUCT_OBJECTS: tuple[tuple[tuple[str, ...], Callable[[Scene, float, float, float], None]], ...] = (
    (("bottle", "perfume", "skincare", "cosmetic", "serum", "wine", "jar", "drink"), draw_bottle),
    (("book", "cover", "novel", "magazine", "album", "packaging", "box", "journal"), draw_book),
    (("device", "phone", "smartphone", "app", "tablet", "gadget", "screen", "mobile"), draw_device),
    (("watch", "clock", "timepiece", "wristwatch"), draw_watch),
)


def draw_food(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    width, height, unit = canvas.width, canvas.height, canvas.unit
    table = mix(sc.surface, sc.accent, 0.12)
    canvas.backdrop(Gradient((sc.light(table, 0.35), table, sc.deep(table, 0.06)), angle=60))
    cx, cy = scene.subject_x, height * 0.52
    napkin = [
        (cx - unit * 0.55, height * 0.9),
        (cx + unit * 0.4, height * 1.1),
        (cx + unit * 0.65, height * 0.35),
        (cx - unit * 0.2, height * 0.2),
    ]
    canvas.fill([polygon(napkin)], sc.light(sc.secondary, 0.55), opacity=0.8)
    leaves = []
    for _ in range(5):
        lx, ly, size = rng.uniform(0, width), rng.uniform(0, height), unit * rng.uniform(0.015, 0.03)
        leaves.append(ellipse(lx - size, ly - size * 0.45, lx + size, ly + size * 0.45))
    canvas.fill(leaves, sc.deep(sc.secondary, 0.1), opacity=0.85)
    side_x = cx + (unit * 0.5 if cx <= width * 0.5 else -unit * 0.5)
    if has_word(scene.words, ("coffee", "cafe", "café", "tea", "latte", "espresso", "cup", "mug", "cappuccino")):
        draw_plate(scene, side_x, height * 0.22, unit * 0.17)
        draw_cup(scene, cx, cy, unit * 0.2)
    else:
        draw_cup(scene, side_x, height * 0.2, unit * 0.1)
        draw_plate(scene, cx, cy, unit * 0.34)


def draw_plate(scene: Scene, cx: float, cy: float, r: float) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    canvas.shadow([circle(cx, cy, r)], sc.ink, r * 0.05, r * 0.09, r * 0.1, opacity=0.28)
    canvas.fill([circle(cx, cy, r)], Gradient((WHITE, sc.light(sc.surface, 0.55)), angle=120))
    canvas.fill([circle(cx, cy, r * 0.74)], sc.ink, opacity=0.08, blur=r * 0.03)
    canvas.fill([circle(cx, cy, r * 0.72)], sc.light(sc.surface, 0.75))
    colours = (sc.accent, sc.secondary, sc.primary, sc.light(sc.accent, 0.35))
    pieces: dict[int, list[Shape]] = {}
    for k in range(7):
        angle, distance = rng.uniform(0, 2 * math.pi), r * rng.uniform(0.0, 0.38)
        piece = circle(cx + math.cos(angle) * distance, cy + math.sin(angle) * distance, r * rng.uniform(0.12, 0.24))
        pieces.setdefault(k % len(colours), []).append(piece)
    canvas.shadow([p for group in pieces.values() for p in group], sc.ink, r * 0.02, r * 0.04, r * 0.03, opacity=0.25)
    for index, group in pieces.items():
        colour = colours[index]
        canvas.fill(group, Gradient((sc.light(colour, 0.2), colour), angle=120))


def draw_cup(scene: Scene, cx: float, cy: float, r: float) -> None:
    canvas, sc = scene.canvas, scene.scheme
    canvas.shadow([circle(cx, cy, r * 1.45)], sc.ink, r * 0.06, r * 0.1, r * 0.12, opacity=0.25)
    canvas.fill([circle(cx, cy, r * 1.45)], Gradient((WHITE, sc.light(sc.surface, 0.5)), angle=120))
    handle = [rect(cx + r * 0.8, cy - r * 0.17, cx + r * 1.4, cy + r * 0.17, radius=r * 0.17)]
    canvas.shadow(handle + [circle(cx, cy, r)], sc.ink, r * 0.05, r * 0.08, r * 0.08, opacity=0.3)
    cup = sc.light(sc.primary, 0.8)
    canvas.fill(handle, cup)
    canvas.fill([circle(cx, cy, r)], Gradient((WHITE, cup), angle=120))
    coffee = mix((96.0, 60.0, 38.0), sc.accent, 0.12)
    canvas.fill([circle(cx, cy, r * 0.82)], Gradient((coffee, sc.deep(coffee, 0.3)), angle=120))
    crema = sc.light(coffee, 0.55)
    canvas.fill([circle(cx, cy, r * 0.8, outline=r * 0.08)], crema, opacity=0.6, blur=r * 0.02)
    lobe = r * 0.17
    heart = [
        circle(cx - lobe * 0.95, cy - lobe * 0.5, lobe),
        circle(cx + lobe * 0.95, cy - lobe * 0.5, lobe),
        polygon([(cx - lobe * 1.9, cy - lobe * 0.25), (cx, cy + lobe * 2.1), (cx + lobe * 1.9, cy - lobe * 0.25)]),
    ]
    canvas.fill(heart, sc.light(crema, 0.6), opacity=0.9, blur=r * 0.025)


def draw_geometric(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    width, height = canvas.width, canvas.height
    paper = sc.light(sc.surface, 0.3)
    canvas.backdrop(Gradient((paper, paper)))
    rows = 2 if width > height * 2.2 else 3
    cell = height / rows
    columns = math.ceil(width / cell)
    offset = (width - columns * cell) / 2
    inks = (sc.primary, sc.secondary, sc.accent, sc.ink, paper)
    gutter = canvas.unit * 0.012
    tiles: dict[int, list[Shape]] = {}
    marks: dict[int, list[Shape]] = {}
    for r in range(rows):
        for c in range(columns):
            x0, y0 = offset + c * cell + gutter / 2, r * cell + gutter / 2
            size = cell - gutter
            back = int(rng.choice(len(inks), p=(0.24, 0.2, 0.14, 0.12, 0.3)))
            fore = int(rng.choice([i for i in range(len(inks)) if i != back]))
            tiles.setdefault(back, []).append(rect(x0, y0, x0 + size, y0 + size))
            mark = geometric_mark(rng, x0, y0, size)
            if mark:
                marks.setdefault(fore, []).append(mark)
    for layer in (tiles, marks):
        for index, shapes in layer.items():
            canvas.fill(shapes, inks[index])


def geometric_mark(rng: Random, x0: float, y0: float, size: float) -> Shape | None:
    """One bold figure for a grid tile: a disc, ring, half or quarter disc, triangle, or nothing."""
    cx, cy = x0 + size / 2, y0 + size / 2
    corner = int(rng.integers(4))
    corners = ((x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size))
    choice = rng.choice(("disc", "ring", "half", "quarter", "triangle", "none"), p=(0.22, 0.12, 0.2, 0.22, 0.12, 0.12))
    if choice == "disc":
        return circle(cx, cy, size * 0.36)
    if choice == "ring":
        return circle(cx, cy, size * 0.32, outline=size * 0.1)
    if choice == "half":
        if corner % 2:
            return arc_polygon(cx, y0 + size, size / 2, 180, 360)
        return arc_polygon(cx, y0, size / 2, 0, 180)
    if choice == "quarter":
        ax, ay = corners[corner]
        start = (0, 90, 180, 270)[corner]
        return arc_polygon(ax, ay, size, start, start + 90)
    if choice == "triangle":
        return polygon([corners[corner], corners[(corner + 1) % 4], corners[(corner + 2) % 4]])
    return None


def draw_abstract(scene: Scene) -> None:
    canvas, sc, rng = scene.canvas, scene.scheme, scene.rng
    width, height, unit = canvas.width, canvas.height, canvas.unit
    colours = (sc.primary, sc.secondary, sc.accent, sc.light(sc.secondary, 0.4), sc.light(sc.primary, 0.3))
    glows = [
        Glow(
            width * rng.uniform(-0.1, 1.1), height * rng.uniform(-0.1, 1.1), unit * rng.uniform(0.25, 0.5), colour, 1.6
        )
        for colour in colours
    ]
    canvas.backdrop(glow_field((width, height), glows, sc.light(sc.surface, 0.2)))
    cx, cy, r = width * rng.uniform(0.55, 0.72), height * rng.uniform(0.4, 0.6), unit * 0.24
    canvas.fill(
        [circle(cx - r * 1.6, cy + r * 0.9, r * 0.5)], sc.light(sc.secondary, 0.5), opacity=0.55, blur=unit * 0.004
    )
    canvas.shadow([circle(cx, cy, r)], sc.ink, unit * 0.02, unit * 0.035, unit * 0.04, opacity=0.3)
    canvas.fill([circle(cx, cy, r)], Gradient((sc.light(sc.accent, 0.15), sc.secondary, sc.primary), angle=60))
    canvas.fill([circle(cx + r * 0.25, cy - r * 0.2, r * 1.35, outline=unit * 0.004)], WHITE, opacity=0.7)
    canvas.fill([circle(cx - r * 0.9, cy - r * 1.1, r * 0.14)], sc.accent)
    dots = [
        circle(width * 0.1 + c * unit * 0.035, height * 0.14 + d * unit * 0.035, unit * 0.006)
        for d in range(5)
        for c in range(5)
    ]
    canvas.fill(dots, sc.ink, opacity=0.35)


MOTIFS: dict[str, Callable[[Scene], None]] = {
    "landscape": draw_landscape,
    "city": draw_city,
    "ocean": draw_ocean,
    "portrait": draw_portrait,
    "product": draw_product,
    "food": draw_food,
    "geometric": draw_geometric,
    "abstract": draw_abstract,
}
