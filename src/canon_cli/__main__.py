"""``canon`` and ``python -m canon_cli``."""

from __future__ import annotations

import os
import sys


def main() -> None:
    try:
        if not any(key.endswith("_COMPLETE") for key in os.environ):
            from canon_cli.cli.fastpath import run as run_fast

            code = run_fast(sys.argv[1:])
            if code is not None:
                sys.stdout.flush()
                sys.exit(code)
        from canon_cli.cli.app import run

        run()
    except BrokenPipeError:
        # the reader went away (canon list | head): stop quietly
        from canon_cli.cli.guard import reader_went_away

        reader_went_away()
        sys.exit(0)


if __name__ == "__main__":
    main()
