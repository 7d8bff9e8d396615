"""The service layer: the only code that talks to the database and to ``crypto``."""
