"""The register workbook (layer 2): from the uploaded bytes to a checked `Register`.

In the order the data flows: `safety` and `sheet_scan` (the file is safe to open), `headers`
(sheets and header rows found, in any language), `reading` (the sheets read), `parsing` and
`codelists` (typed cells), `validation` (the spec's rules), `report` and `codes` (the issues
found, as codes and values), `messages` and `annotate` (the report written in the reader's
language, when shown), `checking` (the whole check of an upload, and `validate`) and `template`,
`template_text`, `instructions` (the blank workbook, from the same declarations).
May import the foundation modules and `reference`; never the store or anything above it.
"""
