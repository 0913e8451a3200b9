"""The quick path: the hottest read commands, to a pipe, for the common case.

``canon list``, ``next``, ``progress`` and ``canon`` itself are typed many times a day
and mostly read into other programs. Their whole answer is a few SQLite queries, yet
the general path (the option spec, the typed records, pathlib and typing under every
layer) costs more to import than the queries take. The modules here import only
``os``, ``sys``, ``sqlite3``, ``zlib`` and ``canon_cli.vocab``: locations are strings,
records are tuples, and there are no messages to translate because nothing here ever
prints one.

The quick path answers only when everything is ordinary: a known command line, output
to a pipe, a warm catalog snapshot that is proven current, a state with no rows under
former ids, a config file in the plain form canon writes, no sync folder, no link
check results, printable text. Anything else, including every error and every empty
result, returns None before anything is written, and the general path answers as
usual. ``tests/quick/test_same_answers.py`` runs both paths side by side and requires
the same bytes.
"""
