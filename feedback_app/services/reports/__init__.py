"""What leaves the site as a file or a printed page: the themed summary
(``themed_summary``), CSV and XLSX writing (``exports``), the export log (``export_log``),
the raw anonymised export (``raw_export``), PDF (``pdf``) and spreadsheet safety
(``spreadsheet_safety``).

Figures come from ``figures`` (already under disclosure control), words only as approved
quotes from ``insight.quotes``. Never imports: ``crypto``, ``demo`` or any blueprint.
Sections and tables are named by keys; HTML ids and number formats belong to the pages'
presenters, which pass their wording in through ``DisclosureRules``.
"""
