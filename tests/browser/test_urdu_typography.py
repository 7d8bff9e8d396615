"""Urdu is set in a Nastaliq or Naskh font where the device has one, with more room between
lines, and the header with the quick exit still fits at 320 px (400% zoom)."""

import pytest

from tests.browser.conftest import PHONE, run_axe

ZOOMED = {"width": 320, "height": 256}


def computed(page, selector: str, prop: str) -> str:
    return page.evaluate("([s, p]) => getComputedStyle(document.querySelector(s))[p]", [selector, prop])


def test_urdu_text_uses_the_urdu_font_stack_and_taller_lines(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/s/adult?lang=ur")
    family = computed(page, "main p", "fontFamily")
    assert family.startswith('"Noto Nastaliq Urdu", "Noto Naskh Arabic"')
    size = float(computed(page, "main p", "fontSize").removesuffix("px"))
    assert float(computed(page, "main p", "lineHeight").removesuffix("px")) >= 1.9 * size
    page.goto(f"{live_server.url}/s/adult?lang=en")
    assert "Nastaliq" not in computed(page, "main p", "fontFamily")
    # The language links name Urdu in Urdu, in its own font, on an English page.
    assert "Nastaliq" in computed(page, ".languages [lang=ur]", "fontFamily")


@pytest.mark.parametrize("path", ["/", "/s/adult", "/privacy"])
def test_the_urdu_header_fits_at_400_percent_zoom(page, live_server, path):
    page.set_viewport_size(ZOOMED)
    page.goto(f"{live_server.url}{path}?lang=ur")
    box = page.locator(".site-header .quick-exit").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= ZOOMED["width"]
    # The taller Urdu lines stay out of the header: it is no taller than in English, so the
    # space kept for it when focus scrolls (scroll-padding-top) is still enough.
    height = "() => document.querySelector('.site-header').getBoundingClientRect().height"
    urdu = page.evaluate(height)
    page.goto(f"{live_server.url}{path}?lang=en")
    english = page.evaluate(height)
    page.goto(f"{live_server.url}{path}?lang=ur")
    assert urdu <= english + 1, (urdu, english)
    uncovered = page.evaluate(
        """() => { const r = document.querySelector('.site-header .quick-exit').getBoundingClientRect();
            return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).closest('.quick-exit') !== null; }"""
    )
    assert uncovered
    assert run_axe(page) == []
