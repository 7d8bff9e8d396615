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


# -- checked on every response of the ``client`` fixture -------------------------------------

SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STAFF_PREFIXES = ("/staff", "/admin", "/coordinator", "/worker")
LABELLED_CONTROLS = ("input", "select", "textarea")
UNLABELLED_INPUTS = ("hidden", "submit", "button", "reset", "image")


def check_headers(response, path: str) -> None:
    """The security headers every response carries, and no caching of pages."""
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{path}: {name}"
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, f"{path}: CSP {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{path}: CSP {csp!r}"
    assert "Server" not in response.headers, path
    if not path.startswith("/static/"):
        assert response.headers.get("Cache-Control", "").startswith("no-store"), f"{path}: may be cached"


def check_quick_exit(page: BeautifulSoup, path: str, exit_url: str) -> None:
    """A survivor page: the quick exit is the first link of the page and in the header."""
    first_link = page.body.find("a")
    assert first_link is not None and "skip-link--exit" in first_link.get("class", []), f"{path}: exit is not the first link"
    header_exit = page.select_one(".site-header a.quick-exit")
    assert header_exit is not None, f"{path}: no quick exit in the header"
    for link in (first_link, header_exit):
        assert link.get("href") == exit_url, f"{path}: quick exit goes to {link.get('href')!r}"
        assert "noreferrer" in link.get("rel", []), f"{path}: quick exit without rel=noreferrer"
        assert link.has_attr("data-quick-exit"), f"{path}: quick exit without its script hook"


def _has_label(page: BeautifulSoup, control) -> bool:
    if control.get("aria-label", "").strip() or control.get("aria-labelledby"):
        return True
    if control.find_parent("label") is not None:
        return True
    control_id = control.get("id")
    return bool(control_id) and page.find("label", attrs={"for": control_id}) is not None


def check_axe_ready(page: BeautifulSoup, path: str, full_page: bool) -> None:
    """Markup an accessibility audit (axe) would otherwise flag: what a page needs to be
    navigable, and labels on every control (fragments too)."""
    if full_page:
        html = page.find("html")
        assert html.get("lang", "").strip(), f"{path}: <html> without lang"
        assert html.get("dir") in ("ltr", "rtl"), f"{path}: <html> without dir"
        assert page.title and page.title.get_text(strip=True), f"{path}: no <title>"
        mains = page.find_all("main")
        assert len(mains) == 1 and mains[0].get("id") == "main", f"{path}: needs exactly one <main id=main>"
        assert page.find("h1") is not None, f"{path}: no <h1>"
    for control in page.find_all(LABELLED_CONTROLS):
        if control.name == "input" and control.get("type", "text") in UNLABELLED_INPUTS:
            continue
        assert _has_label(page, control), f"{path}: {control.name} {control.get('name')!r} has no label"
    for image in page.find_all("img"):
        assert image.has_attr("alt"), f"{path}: <img> without alt"
    for element in page.find_all(tabindex=True):
        assert int(element["tabindex"]) <= 0, f"{path}: positive tabindex"
    for button in page.find_all("button"):
        assert button.get_text(strip=True) or button.get("aria-label"), f"{path}: a button with no name"


def check_response(response, path: str, exit_url: str) -> None:
    """What every response must be, whatever the test asserts about it: headers always; for
    HTML the page rules (``check_page``), markup ready for an accessibility audit, and the
    quick exit on every survivor page."""
    check_headers(response, path)
    if response.mimetype != "text/html" or 300 <= response.status_code < 400 or not response.get_data():
        return  # files, and redirects (Werkzeug's own "Redirecting..." body is never shown)
    page = check_page(response)
    full_page = page.find("html") is not None
    check_axe_ready(page, path, full_page)
    if full_page:
        survivor = "survivor" in (page.body.get("class") or [])
        if not path.startswith(STAFF_PREFIXES):
            assert survivor, f"{path}: a public page without the survivor layout (and its quick exit)"
        if survivor:
            check_quick_exit(page, path, exit_url)
