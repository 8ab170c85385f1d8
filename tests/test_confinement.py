"""Confinement: ``safe_join`` is the one gate for every path we write or serve, and hostile paths never pass it.

Property tests feed it arbitrary text and hostile paths built by kind; the folder server and the
downloads are checked against symbolic links and ``..`` tricks that point at a file outside the page.
"""

from __future__ import annotations

import base64
import http.client
import io
import string
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webagent.core.errors import UnsafePathError
from webagent.core.files import safe_join
from webagent.core.render import serve_folder
from webagent.planners.llm.paths import with_our_path
from webagent.reflection.rounds import RoundError, restore, snapshot
from webagent.ui.export import page_zip, single_file_html

EXAMPLES = 200  # per property and per hostile kind: the figure docs/reliability.md quotes
SECRET = b"TOP-SECRET-outside-the-page-7f3a"
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=500,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- folders ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A folder beside the page holding a secret file and a secret folder."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.txt").write_bytes(SECRET)
    (folder / "secret-dir").mkdir()
    (folder / "secret-dir" / "secret.txt").write_bytes(SECRET)
    return folder


@pytest.fixture(scope="module")
def trap_root(tmp_path_factory, outside) -> Path:
    """A page folder holding every kind of symbolic link that points outside it, and a loop."""
    root = tmp_path_factory.mktemp("page")
    (root / "assets").mkdir()
    (root / "assets" / "ok.png").write_bytes(b"fine")
    (root / "index.html").write_text("<h1>page</h1>")
    (root / "assets" / "x.png").symlink_to(outside / "secret.txt")
    (root / "assets" / "linked-dir").symlink_to(outside / "secret-dir")
    (root / "up").symlink_to("..")
    (root / "loop").symlink_to("loop")
    (root / "inside-link.png").symlink_to(root / "assets" / "ok.png")
    (outside.parent / "secret.txt").write_bytes(SECRET)  # where a `../secret.txt` from the page would land
    return root


ESCAPING_LINKS = ["assets/x.png", "assets/linked-dir", "up"]


def assert_inside(root: Path, path: Path) -> None:
    resolved = root.resolve()
    assert resolved in path.parents, (root, path)


def assert_clear_refusal(error: pytest.ExceptionInfo, hostile: str) -> None:
    """The refusal is one line naming the path (its repr, cut when huge)."""
    message = str(error.value)
    assert "\n" not in message and len(message) < 400, message
    if len(hostile) <= 120:
        assert repr(hostile) in message, message
    else:
        assert f"({len(hostile)} characters)" in message, message


# --- strategies ------------------------------------------------------------------------------------

SAFE_CHARS = string.ascii_letters + string.digits + "-_. ~+,=é漢"
safe_segment = st.text(SAFE_CHARS, min_size=1, max_size=24).filter(lambda s: s not in {".", ".."})
benign_path = st.lists(safe_segment, min_size=1, max_size=5).map("/".join)
separator = st.sampled_from(["/", "\\"])
any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
path_char = st.one_of(any_char, st.sampled_from(list("/\\.:\x00%~")))
path_piece = st.sampled_from(
    [
        "..",
        ".",
        "",
        "assets",
        "x.png",
        "C:",
        "\\",
        "%2e%2e",
        "…",
        "up",
        "loop",
        "assets/x.png",
        "assets/linked-dir",
        "inside-link.png",
        "\x00",
        "a" * 300,
    ]
)


def joined(parts: list[str], seps: list[str]) -> str:
    """The parts joined by the given separators ('' where they run out)."""
    return "".join(part + sep for part, sep in zip(parts, seps + [""] * len(parts)))


@st.composite
def with_dotdot(draw) -> str:
    """A path with ``..`` segments somewhere among ordinary ones, slashes of either kind."""
    parts = draw(st.lists(safe_segment, max_size=4))
    parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(["..", "../..", "..\\.."])))
    sep = draw(separator)
    return sep.join(parts) + draw(st.sampled_from(["", sep]))


@st.composite
def hostile(draw, kind: str) -> str:
    """One hostile path of ``kind``."""
    tail = draw(benign_path)
    sep = draw(separator)
    if kind == "absolute":
        return draw(st.sampled_from(["/", "\\", "/./", "///"])) + tail.replace("/", sep)
    if kind == "dotdot":
        return draw(with_dotdot())
    if kind == "drive":
        letter = draw(st.sampled_from(string.ascii_letters))
        return f"{letter}:{draw(st.sampled_from(['', '/', chr(92)]))}{tail.replace('/', sep)}"
    if kind == "unc":
        return f"{sep}{sep}{draw(safe_segment)}{sep}{tail.replace('/', sep)}"
    if kind == "url":
        scheme = draw(st.sampled_from(["http", "https", "file", "ftp", "data", "javascript", "blob", "s3", "x-y+z.1"]))
        return draw(st.sampled_from([f"{scheme}://{tail}", f"{scheme}:{tail}", f"{scheme.upper()}:/{tail}"]))
    if kind == "nul":
        at = draw(st.integers(0, len(tail)))
        return tail[:at] + "\x00" + tail[at:]
    if kind == "symlink_escape":
        return f"{draw(st.sampled_from(ESCAPING_LINKS))}{draw(st.sampled_from(['', '/' + tail]))}"
    if kind == "symlink_loop":
        return f"loop/{tail}"
    if kind == "unencodable":  # lone surrogates no file system can store
        at = draw(st.integers(0, len(tail)))
        return tail[:at] + draw(st.sampled_from(["\ud800", "\udbff", "\udfff"])) + tail[at:]
    if kind == "overlong":
        name = draw(st.text(SAFE_CHARS, min_size=256, max_size=400)).replace(".", "a")
        return draw(st.sampled_from([name, f"{tail}/{name}", "/".join([tail] * 2100)]))
    if kind == "empty":
        return draw(st.sampled_from(["", ".", "./", "./.", ".\\"]))
    raise AssertionError(kind)


HOSTILE_KINDS = [
    "absolute",
    "dotdot",
    "drive",
    "unc",
    "url",
    "nul",
    "symlink_escape",
    "symlink_loop",
    "unencodable",
    "overlong",
    "empty",
]


# --- (a) arbitrary text: refused or inside, nothing else -----------------------------------------


@PROPERTY
@given(st.text(path_char, max_size=80))
def test_any_text_is_refused_or_lands_inside_the_folder(trap_root, relative):
    try:
        path = safe_join(trap_root, relative)
    except UnsafePathError as error:
        assert "\n" not in str(error)
        return
    assert_inside(trap_root, path)


@PROPERTY
@given(st.lists(path_piece, max_size=8), st.lists(separator, max_size=8))
def test_any_mix_of_tricky_pieces_is_refused_or_lands_inside_the_folder(trap_root, parts, seps):
    relative = joined(parts, seps)
    try:
        path = safe_join(trap_root, relative)
    except UnsafePathError:
        return
    assert_inside(trap_root, path)


# --- (b) hostile paths by kind: every one refused --------------------------------------------------


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
@PROPERTY
@given(data=st.data())
def test_every_hostile_path_is_refused_with_one_clear_line(trap_root, kind, data):
    relative = data.draw(hostile(kind), label=kind)
    with pytest.raises(UnsafePathError) as error:
        safe_join(trap_root, relative)
    assert_clear_refusal(error, relative)


def test_symlinked_parent_folder_pointing_outside_is_refused(trap_root):
    with pytest.raises(UnsafePathError, match="resolves outside the output folder"):
        safe_join(trap_root, "assets/linked-dir/new.png")


def test_symlink_loop_is_a_refusal_not_a_crash(trap_root):
    with pytest.raises(UnsafePathError, match="cannot be resolved"):
        safe_join(trap_root, "loop/x.png")


def test_huge_path_is_refused_with_a_short_message(trap_root):
    huge = "a/" * 300_000 + "x.png"
    with pytest.raises(UnsafePathError, match="too long") as error:
        safe_join(trap_root, huge)
    assert len(str(error.value)) < 300


# --- (c) benign paths: always accepted, exactly where asked ---------------------------------------


@PROPERTY
@given(benign_path)
def test_benign_relative_paths_land_exactly_there(tmp_path_factory, relative):
    root = tmp_path_factory.getbasetemp() / "benign"
    root.mkdir(exist_ok=True)
    assert safe_join(root, relative) == root.resolve().joinpath(*relative.split("/"))


def test_symlink_that_stays_inside_is_followed(trap_root):
    assert safe_join(trap_root, "inside-link.png") == trap_root.resolve() / "assets" / "ok.png"


def test_model_asset_paths_are_replaced_by_checked_ones():
    from webagent.core.contracts import AssetSpec

    spec = AssetSpec.model_construct(id="hero", kind="image", path="../../etc/passwd")
    assert with_our_path(spec).path == "assets/hero.webp"


# --- (d) the folder server returns no byte of an outside file -------------------------------------


def fetch(origin: str, raw_path: str) -> tuple[int, bytes]:
    """GET ``raw_path`` exactly as written (no client-side normalisation of dots or escapes)."""
    host = urlsplit(origin)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    try:
        connection.putrequest("GET", raw_path, skip_host=False, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served(trap_root):
    with serve_folder(trap_root) as origin:
        yield origin


def test_served_folder_still_serves_its_own_files(served):
    assert fetch(served, "/assets/ok.png") == (200, b"fine")
    assert fetch(served, "/index.html?v=1#top") == (200, b"<h1>page</h1>")
    assert fetch(served, "/") == (200, b"<h1>page</h1>")


URL_TRICKS = [
    "/assets/x.png",  # a symlink to the secret file
    "/assets/linked-dir/secret.txt",  # a file under a symlinked folder
    "/up/secret.txt",  # a symlink to the parent folder
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%5csecret.txt",
    "/assets/..\\..\\secret.txt",
    "/.%2e/secret.txt",
]


@pytest.mark.parametrize("raw_path", URL_TRICKS)
def test_served_folder_refuses_paths_that_leave_it(served, raw_path):
    status, body = fetch(served, raw_path)
    assert status in {403, 404}, (raw_path, status)
    assert SECRET not in body


def test_served_folder_refuses_absolute_and_drive_paths(served, outside):
    for raw_path in [
        "/" + quote(str(outside / "secret.txt")),
        "//" + str(outside / "secret.txt").lstrip("/"),
        "/C:/secret.txt",
        "/c:%5csecret.txt",
        "/file:%2f%2f" + quote(str(outside / "secret.txt")),
    ]:
        status, body = fetch(served, raw_path)
        assert status in {403, 404} and SECRET not in body, raw_path


url_piece = st.sampled_from(
    [
        "..",
        "%2e%2e",
        "%2E%2e",
        ".%2e",
        "%2e.",
        "%2f",
        "%5c",
        "\\",
        ".",
        "",
        "assets",
        "up",
        "linked-dir",
        "assets/linked-dir",
        "x.png",
        "secret.txt",
        "secret-dir",
        "%00",
    ]
)


@settings(
    max_examples=EXAMPLES, deadline=2000, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(url_piece, min_size=1, max_size=7))
def test_no_url_built_from_dots_and_escapes_reaches_the_secret(served, pieces):
    status, body = fetch(served, "/" + "/".join(pieces))
    assert SECRET not in body, (pieces, status)


# --- downloads go through the same gate -----------------------------------------------------------


def test_zip_download_leaves_out_links_that_point_outside(trap_root):
    with zipfile.ZipFile(io.BytesIO(page_zip(trap_root))) as archive:
        names = archive.namelist()
        contents = [archive.read(name) for name in names]
    assert "index.html" in names and "assets/ok.png" in names
    assert not any(SECRET in data for data in contents), names


def test_single_file_download_never_inlines_an_outside_file(trap_root, tmp_path):
    page = tmp_path / "page"
    page.mkdir()
    (page / "assets").symlink_to(trap_root / "assets")  # assets/x.png → the secret, one link deeper
    (page / "own.png").write_bytes(b"own image")
    (page / "index.html").write_text(
        '<img src="own.png"><img src="assets/x.png"><img src="../secret.txt"><img src="/etc/hostname">'
        '<img src="assets/linked-dir/secret.txt"><div style="background:url(assets/x.png)"></div>'
    )
    html = single_file_html(page)
    assert html.count("data:") == 1 and base64.b64encode(b"own image").decode() in html
    assert base64.b64encode(SECRET).decode() not in html


def test_rounds_never_copy_nor_delete_files_behind_a_link_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "diary.txt").write_text("private")
    page = tmp_path / "page"
    page.mkdir()
    (page / "index.html").write_text("<p>round zero</p>")
    assert sorted(snapshot(page, 0)) == ["index.html"]

    (page / "assets").symlink_to(outside, target_is_directory=True)
    assert sorted(snapshot(page, 1)) == ["index.html"]  # nothing from behind the link
    restore(page, 0)  # round 0 had no assets/diary.txt: the file behind the link must survive
    assert (outside / "diary.txt").read_text() == "private"


def test_a_damaged_round_file_list_is_refused_before_any_file_is_read(tmp_path):
    page = tmp_path / "page"
    page.mkdir()
    (page / "index.html").write_text("<p>x</p>")
    snapshot(page, 0)
    (page / "rounds" / "000" / "files.json").write_text('{"index.html": "../../../../etc/passwd"}')
    with pytest.raises(RoundError, match="round 0's file list is damaged: 'index.html' has no valid digest"):
        restore(page, 0)
    assert (page / "index.html").read_text() == "<p>x</p>"
