"""The one exception the CLI turns into a one-line message and a non-zero exit."""


class FlashcardsError(Exception):
    """A problem with the user's input or environment, said in one line."""

    exit_code = 1
