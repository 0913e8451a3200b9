"""``canon browse``: the full-screen reader.

``data`` is the app's only door into canon (catalog, state, opener, config): it hands
the widgets plain, already sanitised records, so the state and catalog layers can
change behind it. ``app`` and ``widgets`` import Textual; nothing else in canon does,
so no other command pays for it.
"""
