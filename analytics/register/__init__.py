"""The register workbook (layer 2): from the uploaded bytes to a checked `Register`.

In the order the data flows: `safety` (the file is safe to open), `reading` (sheets and headers),
`parsing` (typed cells), `validation` (the spec's rules), `report` (issues found), `checking`
(the whole check of an upload) and `template` (the blank workbook, from the same declarations).
May import the foundation modules and `reference`; never the store or anything above it.
"""
