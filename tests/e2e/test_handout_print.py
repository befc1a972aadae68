"""The handout as it prints: on A4 and Letter in portrait, nothing wider than the printable
area (checked in Chromium's print emulation), every address once, and the date and page
numbers on every page of the PDF. Page images go to test-artifacts/."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from tests.e2e.conftest import ARTIFACTS
from workshop_lib.trainer.handout import write_handout

pytestmark = pytest.mark.e2e
MM = 96 / 25.4  # CSS pixels per millimetre
PRINTABLE_MM = {"a4": 210 - 32, "letter": 215.9 - 32}  # paper width less the side margins
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5)) {
      wide.push(`${el.tagName} ${Math.round(box.left)}-${Math.round(box.right)} > ${limit}`);
    }
  }
  return {wide, scroll: document.documentElement.scrollWidth, limit};
}"""


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("country", ["CIV", "KEN"])
def test_the_handout_fits_the_page_and_numbers_every_page(browser, tmp_path, paper, country):
    html_file, pdf_file = write_handout(country, tmp_path, paper)
    page = browser.new_page(viewport={"width": int(PRINTABLE_MM[paper] * MM), "height": 1000})
    try:
        page.goto(html_file.as_uri())
        page.emulate_media(media="print")
        found = page.evaluate(WIDEST)
        assert found["wide"] == [] and found["scroll"] <= found["limit"], found
    finally:
        page.close()
    assert shutil.which("pdftotext"), "poppler-utils is missing: run .ci/ensure-system-deps"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    addresses = {
        html.unescape(address)  # an address's "&" is written "&amp;" in the HTML
        for address in re.findall(r'href="(https?://[^"]+)"', html_file.read_text())
    }
    for address in addresses:  # printed once (a longer address may start with a shorter one)
        longer = [a for a in addresses if a != address and a.startswith(address)]
        assert flat.count(address) - sum(flat.count(a) for a in longer) == 1, address
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, content in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in content
        assert "handout, printed" in content
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            str(pdf_file),
            str(ARTIFACTS / f"handout-{country}-{paper}"),
        ],
        check=True,
    )
