#!/usr/bin/env python
"""Same as the `gongkai` command; kept for Django habits."""

from gongkai.cli import main

if __name__ == "__main__":
    main()
