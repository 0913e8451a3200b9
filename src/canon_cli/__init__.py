"""canon: a command-line reading-list manager for the AI Canon."""

__version__ = "0.1.0"
