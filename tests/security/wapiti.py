#!/usr/bin/env python3
"""Debian bookworm's wapiti 3.0.4 with one fix, same arguments as `wapiti`.

wapiti 3.0.4 turns each --exclude URL into the regular expression `...\\Z(?ms)`; Python 3.11
(bookworm's) refuses global flags that are not at the start ("global flags not at the start
of the expression") and wapiti dies before crawling as soon as -x is given. The scans need
-x (a crawler that submits POST /logout ends its own session), so this wrapper replaces that
one function with the same pattern, flags first, and then runs wapiti's own entry point.
"""
import re
import sys

import wapitiCore.net.crawler as crawler


def wildcard_translate(pattern):
    """`*` matches anything, everything else literally, anchored at both ends (as 3.0.4 meant)."""
    return re.compile(r"(?ms)" + "".join(".*" if char == "*" else re.escape(char) for char in pattern) + r"\Z")


crawler.wildcard_translate = wildcard_translate

from wapitiCore.main.wapiti import wapiti_main  # noqa: E402  (after the patch, on purpose)

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
