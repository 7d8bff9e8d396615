"""Errors the service layer raises with a message that is safe to show to the person asking."""


class AccountError(ValueError):
    """A change to an account that cannot be made; ``message`` says why, for the page."""

    def __init__(self, message) -> None:
        super().__init__(message)  # may be a lazy string: translated when shown
        self.message = message
