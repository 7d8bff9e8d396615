"""Parse pages and fail on what should never be in one (after GOV.UK Notify's request fixture)."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup


def check_page(response) -> BeautifulSoup:
    """Parse an HTML response; fail on duplicate ids, scripts without this request's nonce,
    inline scripts or styles, and anything loaded from another host."""
    html = response.get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    csp = response.headers.get("Content-Security-Policy", "")
    for script in page.find_all("script"):
        assert script.get("src"), "inline script found"
        nonce = script.get("nonce")
        assert nonce and f"'nonce-{nonce}'" in csp, f"script without this request's nonce: {script}"
    assert not page.find_all("style"), "inline <style> found"
    assert not page.find_all(style=True), "inline style attribute found"
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in page.find_all(tag):
            url = element.get(attr, "")
            assert not url.startswith(("http:", "https:", "//")), f"{tag} loads from another host: {url}"
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), f"POST form without CSRF token: {form.get('action')}"
    return page
