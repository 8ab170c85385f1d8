"""Video files the page can play: frames → H.264 MP4 + VP8 WebM + a poster, through one ffmpeg.

The MP4 (yuv420p, faststart) is for Chrome and Safari, the WebM for Chromium builds without
H.264 (Playwright's own). Every file appears under its final name only when all three were
written. Downloaded or model-made clips go through the same path, cropped to the slot's aspect.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, suppress
from itertools import chain
from pathlib import Path, PurePosixPath

import imageio_ffmpeg
from PIL import Image, ImageOps

from webagent.core.contracts import AssetSpec, GeneratedAsset
from webagent.core.errors import GenerationError
from webagent.core.files import atomic_output, safe_join
from webagent.generators.image.canvas import encode, fit_size

FPS = 24
LONGEST_SIDE_PX = 960


def ffmpeg_command(size: tuple[int, int], fps: float, mp4: Path, webm: Path) -> list[str]:
    """One ffmpeg reading raw RGB frames on stdin and writing both encodings."""
    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{size[0]}x{size[1]}",
        "-r",
        f"{fps:g}",
        "-i",
        "-",
        "-filter_complex",
        "format=yuv420p,split=2[h264][vp8]",  # convert once, encode twice
        # settings measured by benchmarks/video_encoding.py: the least CPU with SSIM ≥ 0.95, PSNR ≥ 35 dB and
        # files no larger than before (x264 veryfast CRF 23; VP8 cpu-used 8 at 1 Mbit/s)
        "-map",
        "[h264]",
        "-an",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "28",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        str(mp4),
        "-map",
        "[vp8]",
        "-an",
        "-c:v",
        "libvpx",
        "-deadline",
        "realtime",
        "-cpu-used",
        "16",
        "-crf",
        "10",
        "-b:v",
        "1M",  # constrained quality: CRF 10, at most 1 Mbit/s
        "-threads",
        "1",  # beside x264 on two cores, one VP8 thread finishes sooner than two
        "-pix_fmt",
        "yuv420p",
        # no random segment id or muxer date in the file: the same frames give the same bytes (cache and round hashes)
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        str(webm),
    ]


def encode_video(
    frames: Iterable[Image.Image], size: tuple[int, int], fps: float, mp4: Path, webm: Path, asset_id: str
) -> None:
    """Pipe ``frames`` through ffmpeg; raise GenerationError with ffmpeg's last word if it fails."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                ffmpeg_command(size, fps, mp4, webm), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
            )
        except OSError as exc:
            raise GenerationError(f"video {asset_id}: cannot start ffmpeg ({exc.strerror or exc})") from None
        try:
            for frame in frames:
                process.stdin.write(frame.tobytes())
        except BrokenPipeError:
            pass  # ffmpeg stopped reading: its exit status and message say why
        except BaseException:
            process.kill()
            raise
        finally:
            with suppress(BrokenPipeError):
                process.stdin.close()
            process.wait()
        if process.returncode != 0:
            errors.seek(0)
            lines = [line.strip() for line in errors.read().decode("utf-8", "replace").splitlines() if line.strip()]
            detail = lines[-1] if lines else f"exit status {process.returncode}"
            raise GenerationError(f"video {asset_id}: ffmpeg failed to encode ({detail})")


def related_paths(path: str) -> tuple[str, str, str]:
    """The MP4, WebM and poster paths (relative) for a video element's path."""
    stem = PurePosixPath(path).with_suffix("")
    return f"{stem}.mp4", f"{stem}.webm", f"{stem}-poster.webp"


def slot_size(spec: AssetSpec, longest: int = LONGEST_SIDE_PX) -> tuple[int, int]:
    """Even pixel dimensions with the slot's aspect, the longer side at most ``longest``."""
    return fit_size(spec.size.width, spec.size.height, longest, even=True)


def write_video(
    spec: AssetSpec,
    out_dir: Path,
    frames: Iterable[Image.Image],
    size: tuple[int, int],
    backend: str,
    started: float,
    fps: float = FPS,
) -> GeneratedAsset:
    """Encode RGB ``frames`` of ``size`` as the element's MP4 + WebM, with the first frame as poster."""
    stream = iter(frames)
    try:
        first = next(stream)
    except StopIteration:
        raise GenerationError(f"video {spec.id}: the {backend} backend produced no frames") from None
    mp4, webm, poster = related_paths(spec.path)
    with ExitStack() as stack:
        mp4_tmp, webm_tmp, poster_tmp = (
            stack.enter_context(atomic_output(safe_join(out_dir, path))) for path in (mp4, webm, poster)
        )
        encode_video(chain([first], stream), size, fps, mp4_tmp, webm_tmp, spec.id)
        poster_tmp.write_bytes(encode(first, ".webp"))
    return GeneratedAsset(
        id=spec.id,
        kind="video",
        path=mp4,
        sources=[webm],
        poster=poster,
        backend=backend,
        seconds=round(time.perf_counter() - started, 3),
    )


def fitted(frames: Iterable[Image.Image], size: tuple[int, int]) -> Iterator[Image.Image]:
    """Frames centre-cropped to the aspect of ``size`` and scaled to it, as RGB."""
    for frame in frames:
        yield ImageOps.fit(frame.convert("RGB"), size, Image.Resampling.LANCZOS)


def read_video_file(path: Path, asset_id: str) -> tuple[Iterator[Image.Image], float]:
    """The frames of a video file (any format ffmpeg reads) and its frame rate."""
    try:
        reader = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
        meta = next(reader)
    except (RuntimeError, OSError, StopIteration) as exc:
        raise GenerationError(f"video {asset_id}: the downloaded clip cannot be decoded ({exc})") from None
    width, height = meta["size"]
    fps = float(meta.get("fps") or FPS)
    frames = (Image.frombytes("RGB", (width, height), bytes(raw)) for raw in reader)
    return frames, fps


def reencode_clip(spec: AssetSpec, out_dir: Path, clip: bytes, backend: str, started: float) -> GeneratedAsset:
    """A clip made elsewhere (bytes of any container ffmpeg reads) as the element's playable files."""
    with tempfile.NamedTemporaryFile(suffix=".video") as source:
        source.write(clip)
        source.flush()
        frames, fps = read_video_file(Path(source.name), spec.id)
        size = slot_size(spec)
        return write_video(spec, out_dir, fitted(frames, size), size, backend, started, fps=min(fps, 60.0))
