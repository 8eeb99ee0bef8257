"""Diagrams: a rebuild reproduces images/ byte for byte, every image has alt
text (in the SVG, in images/README.md and in the notebooks that show it)."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lbp_workbook.views import diagrams

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "images"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("images")
    diagrams.write_all(out)
    return out


@pytest.mark.parametrize("name", sorted(diagrams.DIAGRAMS) + ["README"])
def test_write_all_matches_committed_images(rebuilt, name):
    """images/ is exactly what `make images` writes (run it after changing diagrams.py)."""
    filename = "README.md" if name == "README" else f"{name}.svg"
    assert (rebuilt / filename).read_bytes() == (IMAGES / filename).read_bytes(), filename


def test_images_folder_holds_only_built_svgs():
    svgs = {p.stem for p in IMAGES.glob("*.svg")}
    assert svgs == set(diagrams.DIAGRAMS)


def test_diagram_svg_is_deterministic():
    name = "pelvic_tilt"
    assert diagrams.diagram_svg(name) == diagrams.diagram_svg(name)


@pytest.mark.parametrize("name", sorted(diagrams.DIAGRAMS))
def test_diagram_svg_has_title_desc_and_no_date(name):
    svg = diagrams.diagram_svg(name).decode("utf-8")
    d = diagrams.DIAGRAMS[name]
    assert len(d.alt) > 80 and d.title
    assert 'role="img"' in svg
    assert re.search(r"<title id=\"diagram-title\">[^<]+</title>", svg)
    desc = re.search(r"<desc id=\"diagram-desc\">([^<]+)</desc>", svg).group(1)
    assert html.unescape(desc) == d.alt  # the alt text may hold &, as in "A&E"
    assert "<dc:date>" not in svg
    assert "<text" in svg  # labels stay text (readable, searchable)


def test_readme_has_alt_text_and_licence():
    text = (IMAGES / "README.md").read_text(encoding="utf-8")
    for d in diagrams.DIAGRAMS.values():
        assert f"{d.name}.svg" in text and d.alt in text
    assert "MIT" in text and "make images" in text


def test_notebooks_show_every_diagram_without_file_paths():
    """Lessons show diagrams with lbp.show_diagram (embedded), never a ../images link.

    A markdown link to ../images/NAME.svg points outside the server's folder under
    `make lab` (root notebooks/) and made Voila stop rendering the page.
    """
    call = re.compile(r'lbp\.show_diagram\("([a-z_]+)"\)')
    seen = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                assert "images/" not in source, (path.name, source[:80])
            else:
                for name in call.findall(source):
                    assert name in diagrams.DIAGRAMS, (path.name, name)
                    seen.add(name)
    assert seen == set(diagrams.DIAGRAMS), "every diagram is shown in some notebook"


@pytest.mark.parametrize("name", sorted(diagrams.DIAGRAMS))
def test_show_diagram_embeds_the_image_file_with_its_alt_text(name):
    markup = diagrams.show_diagram(name)._repr_html_()
    found = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"', markup)
    assert found, markup[:200]
    assert base64.b64decode(found.group(1)) == (IMAGES / f"{name}.svg").read_bytes()
    assert html.unescape(found.group(2)) == diagrams.alt_text(name)


def test_show_diagram_unknown_name_lists_the_names():
    with pytest.raises(KeyError, match="core_cross_section"):
        diagrams.show_diagram("spine")


def test_main_writes_into_outdir(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "lbp_workbook.views.diagrams", str(tmp_path / "x")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "core_cross_section.svg" in out.stdout
    assert (tmp_path / "x" / "README.md").exists()


def test_main_without_outdir_prints_usage(capsys):
    assert diagrams.main([]) == 2
    assert "usage" in capsys.readouterr().out
