"""Reference data (layer 1): the shipped and local code lists, rates and their checks.

`load` reads the reference folder into one `Reference`; `refcheck` checks a folder before it is
used. May import only the foundation modules (`config`, `i18n`, `text`, `downloads`).
"""
