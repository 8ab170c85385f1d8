"""Output folders: paths stay inside, writes are atomic, failed builds leave nothing behind."""

from __future__ import annotations

import pytest

from webagent.core.errors import OutputDirError, UnsafePathError
from webagent.core.files import atomic_write_text, safe_join
from webagent.core.ownership import MARK_FILE, mark_folder
from webagent.core.workdir import staged_output_dir


@pytest.mark.parametrize(
    "hostile",
    [
        "../escape.png",
        "assets/../../escape.png",
        "/etc/passwd",
        "https://example.com/x.png",
        "//host/share",
        "C:/x.png",
        "a\x00b",
        "",
    ],
)
def test_hostile_asset_path_is_rejected(tmp_path, hostile):
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path, hostile)


def test_symlink_escaping_the_folder_is_rejected(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "page"
    root.mkdir()
    (root / "assets").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="resolves outside"):
        safe_join(root, "assets/x.png")


def test_safe_path_stays_inside(tmp_path):
    assert safe_join(tmp_path, "assets/hero.webp") == tmp_path.resolve() / "assets" / "hero.webp"


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "run.json"
    atomic_write_text(target, "{}")
    assert target.read_text() == "{}" and [p.name for p in tmp_path.iterdir()] == ["run.json"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_failed_build_keeps_the_previous_folder(tmp_path):
    final = tmp_path / "site"
    final.mkdir()
    (final / "index.html").write_text("previous page")
    with pytest.raises(RuntimeError), staged_output_dir(final) as staging:
        (staging / "index.html").write_text("half")
        raise RuntimeError("build failed")
    assert (final / "index.html").read_text() == "previous page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_successful_build_replaces_webagents_own_folder(tmp_path):
    final = tmp_path / "site"
    final.mkdir()
    mark_folder(final, "page")
    (final / "assets").mkdir()
    (final / "assets" / "old.webp").write_text("old")
    with staged_output_dir(final) as staging:
        (staging / "index.html").write_text("new page")
    assert sorted(p.name for p in final.iterdir()) == [MARK_FILE, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_is_not_webagents_is_never_replaced_even_at_the_last_step(tmp_path):
    final = tmp_path / "site"
    final.mkdir()
    (final / "old.txt").write_text("old")
    with pytest.raises(OutputDirError, match="webagent did not write what is there now"):
        with staged_output_dir(final) as staging:
            (staging / "index.html").write_text("new page")
    assert sorted(p.name for p in final.iterdir()) == ["old.txt"]


def test_output_under_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputDirError, match="is a file, not a folder"):
        with staged_output_dir(blocker / "site"):
            pass
