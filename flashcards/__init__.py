"""flashcards: turn Chinese text into Anki decks of the words a learner doesn't know yet."""

__version__ = "0.1.0"
