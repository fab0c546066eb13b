"""gsdialog: make the gap in a room of mixed people visible, live and anonymously."""

__version__ = "0.1.0"
