"""Drive a survey through the test client the way a browser without JavaScript would:
read the form on the page, fill in answers, press a button, read the next page."""

from __future__ import annotations

from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from tests.helpers.pages import check_page


class SurveyWalker:
    def __init__(self, client, slug: str, htmx: bool = False, headers: dict | None = None):
        self.client = client
        self.slug = slug
        self.htmx = htmx
        self.headers = dict(headers or {})
        self.page: BeautifulSoup | None = None
        self.response = None
        self.expected_status = 200  # what the next page must answer with

    # -- reading the page -------------------------------------------------------
    def open(self) -> BeautifulSoup:
        return self._load(self.client.get(f"/s/{self.slug}", headers=self.headers))

    def _load(self, response) -> BeautifulSoup:
        assert response.status_code == self.expected_status, response.status_code
        self.response = response
        if self.htmx:
            html = response.get_data(as_text=True)
            self.page = BeautifulSoup(html, "html.parser")
        else:
            self.page = check_page(response)
        return self.page

    @property
    def form(self):
        return self.page.find("form", id="survey-form") or self.page.find("form")

    @property
    def heading(self) -> str:
        return self.page.find("h1").get_text(" ", strip=True)

    @property
    def screen(self) -> str:
        field = self.form.find("input", attrs={"name": "_screen"}) if self.form else None
        return field["value"] if field else "done"

    @property
    def text(self) -> str:
        return self.page.get_text(" ", strip=True)

    def form_values(self) -> MultiDict:
        values = MultiDict()
        for field in self.form.find_all(["input", "textarea"]):
            name = field.get("name")
            if not name or field.get("type") == "submit":
                continue
            if field.name == "textarea":
                values.add(name, field.get_text())
            elif field.get("type") in ("radio", "checkbox"):
                if field.has_attr("checked"):
                    values.add(name, field["value"])
            else:
                values.add(name, field.get("value", ""))
        return values

    def buttons(self) -> list[tuple[str, str]]:
        return [(b.get("name"), b.get("value")) for b in self.page.find_all("button") if b.get("name")]

    # -- acting -------------------------------------------------------------------
    def press(self, action: str | None = "next", *, answers: dict | None = None, extra: dict | None = None, **replace):
        """Submit the form with ``_action=action``; ``answers`` replace the visible fields."""
        values = self.form_values()
        for name, value in (answers or {}).items():
            values.setlist(name, value if isinstance(value, list) else [value])
        for name, value in replace.items():
            values.setlist(name, [value])
        if action is not None:
            assert ("_action", action) in self.buttons(), f"no button {action!r} on {self.screen}: {self.buttons()}"
            values.setlist("_action", [action])
        for name, value in (extra or {}).items():
            values.setlist(name, [value])
        headers = dict(self.headers)
        if self.htmx:
            headers["HX-Request"] = "true"
        response = self.client.post(self.form.get("action"), data=values, headers=headers)
        return self._after_post(response)

    def _after_post(self, response):
        if self.htmx and response.status_code == self.expected_status and "<html" not in response.get_data(as_text=True):
            # Swap the fragment into the current page, as htmx would.
            fragment = BeautifulSoup(response.get_data(as_text=True), "html.parser")
            self.page.find(id="survey-screen").replace_with(fragment)
            self.response = response
            return self.page
        return self._load(response)

    def start(self):
        self.open()
        return self.press("start")
