"""The colours of the charts, defined once for the pages, the board and the exports.

One colour per partnership type and per region, from colour-blind-safe palettes (Okabe–Ito for
the four types, Paul Tol's "muted" for the regions, so a type is never mistaken for a region).
"""

import zlib

TYPE_COLOURS = {  # Okabe & Ito (2008), colour-blind safe
    "advocacy": "#0072B2",
    "innovation": "#E69F00",
    "resource_mobilization": "#009E73",
    "implementation": "#CC79A7",
}
REGION_COLOURS = {  # Paul Tol's "muted" scheme, colour-blind safe
    "RBB": "#332288",
    "RBC": "#88CCEE",
    "RBD": "#44AA99",
    "RBJ": "#DDCC77",
    "RBN": "#CC6677",
    "RBP": "#AA4499",
}
STATUS_COLOURS = {"received": "#0072B2", "pledged": "#56B4E9"}
# Codes HQ may add later get a stable colour from the rest of Tol's scheme.
SPARE_COLOURS = ("#117733", "#999933", "#882255", "#6699CC", "#661100", "#888888")
GAP_COLOUR = "#D55E00"  # vermillion: an empty objective × region cell
TARGET_COLOUR = "#000000"
MAP_SCALE = "Blues"
FADED = 0.35  # opacity of years outside the chosen period


def colour(codelist: str, code: str) -> str:
    """The colour of a partnership type or region code; unknown codes get a stable spare one."""
    known = {"partnership_type": TYPE_COLOURS, "region": REGION_COLOURS, "status": STATUS_COLOURS}[
        codelist
    ]
    if code in known:
        return known[code]
    return SPARE_COLOURS[zlib.crc32(str(code).encode()) % len(SPARE_COLOURS)]
