"""Feeding back the impact of what survivors said: “You said, we did” statements
(``statements``), written by coordinators per financial-year quarter and service, translated
and approved per language, published on a public page and withdrawn, every publication
audited.

Statements are staff-written words, not survivors': they are stored in the clear and never
made from responses. Uses ``figures`` only for its periods and the surveys' service keys
(``figures.periods``, ``figures.filters``), never for a count, so that no dashboard number
can reach the public page. Never imports: ``crypto``, ``responses``, ``insight``,
``reports``, ``demo`` or any blueprint.
"""
