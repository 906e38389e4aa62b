"""The Kareo HTML page in a real headless Chromium: DOM, console and a screenshot.

Needs Debian's `chromium` (`apt-get install -y chromium`), or the browser named
by $CLAUSEWISE_CHROMIUM. Without one the test fails rather than skips: a page
nobody opened is not known to work. The screenshot is kept in tests/artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from clausewise.renderers import render

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--hide-scrollbars", "--mute-audio"]


def _chromium() -> str:
    named = os.environ.get("CLAUSEWISE_CHROMIUM")
    for candidate in ([named] if named else []) + ["chromium", "chromium-browser"]:
        found = shutil.which(candidate)
        if found:
            return found
    pytest.fail("headless Chromium not found: install it with "
                "`apt-get update && apt-get install -y chromium` "
                "(or set CLAUSEWISE_CHROMIUM to a Chromium binary)", pytrace=False)


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "HOME": str(profile)})


@pytest.fixture(scope="module")
def page(kareo, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("browser")
    path = directory / "kareo.html"
    path.write_text(render(kareo, "html", trace=True), encoding="utf-8")
    return path


def test_dom_has_headings_and_clause_anchors(kareo, page: Path, tmp_path: Path) -> None:
    browser = _chromium()
    run = _run(browser, tmp_path / "profile", "--enable-logging=stderr", "--v=0",
               "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert re.search(r"<html lang=\"en\"", dom)
    assert "<h1>Kareo Privacy Policy</h1>" in dom
    headings = re.findall(r'<h2 id="section-[^"]+">([^<]+)</h2>', dom)
    assert headings == ["At a glance", "What this privacy policy covers",
                        "Information collection and how it is used",
                        "Information sharing and disclosure",
                        "Accessing, updating, or correcting your personal information",
                        "Security", "Customer testimonials, comments and reviews",
                        "Links to other sites", "Changes to this privacy policy", "Questions",
                        "Last Updated", "Decision matrix"]
    anchors = re.findall(r'\bid="clause-([a-z0-9-]+)"', dom)
    assert sorted(anchors) == sorted(c.id for c in kareo.policy.clauses)
    # the summary label, a glance table per section, the matrix's grants and its views
    for label in ("Data collected", "Linked to you", "Used for tracking", "Shared", "Sold",
                  "How long kept", "Your choices"):
        assert re.search(rf'<dt id="label-[a-z]+">{label}</dt>', dom), label
    from clausewise.renderers.outline import build
    with_rules = [s for s in build(kareo.policy, kareo.vocabulary).sections if s.glance]
    assert len(with_rules) == 7  # the sections that hold a clause deciding anything
    assert dom.count("<caption>At a glance</caption>") == len(with_rules)
    for view in ("recipients", "purposes", "collection", "retention"):
        assert f'id="matrix-{view}"' in dom, view
    cell = re.search(r'<a href="#clause-card-processing" title="clause card-processing">'
                     r'to bill you</a>', dom)
    assert cell, "a matrix cell says the purpose that limits it and links to its clause"
    for target in re.findall(r'href="#([^"]+)"', dom):
        assert f'id="{target}"' in dom, f"dangling link #{target}"
    console = [line for line in run.stderr.splitlines()
               if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, "console messages:\n" + "\n".join(console)


def test_the_review_view_in_the_browser(kareo, tmp_path: Path) -> None:
    browser = _chromium()
    path = tmp_path / "review.html"
    path.write_text(render(kareo, "html", review=True), encoding="utf-8")
    run = _run(browser, tmp_path / "profile", "--enable-logging=stderr", "--v=0",
               "--dump-dom", path.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    rows = re.findall(r'<tr id="clause-([a-z0-9-]+)">', dom)
    assert sorted(rows) == sorted(c.id for c in kareo.policy.clauses)
    assert dom.count('<td class="rules">') == len(rows)
    assert '<tr class="drift">' in dom
    console = [line for line in run.stderr.splitlines()
               if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, "console messages:\n" + "\n".join(console)


def test_screenshot_is_a_real_picture(page: Path, tmp_path: Path) -> None:
    browser = _chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "kareo.png"
    shot.unlink(missing_ok=True)
    run = _run(browser, tmp_path / "profile", "--window-size=1280,2400",
               f"--screenshot={shot}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.exists(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2400)
    assert len(data) > 20_000, "a page of text makes a PNG larger than this"
    pixels = zlib.decompress(b"".join(_chunks(data, b"IDAT")))
    assert len(set(pixels)) > 64, "the screenshot is (nearly) one colour"


def _chunks(data: bytes, kind: bytes):
    """The payloads of the PNG chunks of one kind."""
    position = 8
    while position < len(data):
        length, = struct.unpack(">I", data[position:position + 4])
        if data[position + 4:position + 8] == kind:
            yield data[position + 8:position + 8 + length]
        position += 12 + length
