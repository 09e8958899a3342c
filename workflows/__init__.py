"""Work a visit needs from several layers at once: storing a confirmed visit with its
slip and forms, printing with the individual-number vault, reprinting a slip, opening a
household and recording that it was seen.

Shared by the front ends (the screens and the command line, and later the outreach
laptop and the certificate counter): it uses db and forms and the rules core, and never
imports Textual or anything of the front ends.
"""
