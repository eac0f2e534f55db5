"""The floor every command module stands on: the error a bad command line raises.

It lives here, below ``cli`` and the subcommand modules, so that ``runs``, ``sweep`` and
``bench`` can raise it without importing ``cli`` — which imports them.
"""


class UsageError(Exception):
    """A bad value on the command line: reported as one line, exit status 2."""
