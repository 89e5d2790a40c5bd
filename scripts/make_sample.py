"""Write the sample registers, one workbook per region, into data/sample/ (deterministic).

    python scripts/make_sample.py [--out data/sample]

The same code and seeds give the same bytes, so the committed files can be checked against a
fresh run (tests/test_sample.py does). Every workbook says SAMPLE DATA in its title rows.
"""

import argparse
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.i18n import t  # noqa: E402
from analytics.reference.load import load_reference  # noqa: E402
from analytics.register.template import write_workbook  # noqa: E402
from analytics.sample.agreements import generate_agreements  # noqa: E402
from analytics.sample.draws import AS_OF  # noqa: E402
from analytics.sample.generate import generate_register  # noqa: E402
from analytics.sample.styles import STYLES, Style  # noqa: E402

# region -> (seed, partners, contributions): sizes differ as real bureaux do.
SIZES = {
    "RBB": (11, 70, 900),
    "RBC": (12, 45, 450),
    "RBD": (13, 60, 700),
    "RBJ": (14, 40, 400),
    "RBN": (15, 55, 650),
    "RBP": (16, 50, 550),
}
CREATED = datetime(AS_OF.year, AS_OF.month, AS_OF.day)


def sample_path(out: Path, region: str) -> Path:
    return out / f"{region}.xlsx"


def write_samples(out: Path) -> list[Path]:
    reference = load_reference()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for region, (seed, n_partners, n_contributions) in SIZES.items():
        partners, contributions = generate_register(
            region, seed, n_partners, n_contributions, reference=reference
        )
        agreements, reports, contributions = generate_agreements(
            region, seed, partners, contributions, reference=reference
        )
        lang = STYLES.get(region, Style()).lang
        title = [
            t("sample.title", lang, region=region, name=reference.region_name(region, lang)),
            t("sample.note", lang, date=AS_OF.isoformat()),
        ]
        path = sample_path(out, region)
        write_workbook(
            path,
            partners,
            contributions,
            lang=lang,
            title_lines=title,
            reference=reference,
            created=CREATED,
            agreements=agreements,
            reports=reports,
        )
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "sample")
    args = parser.parse_args(argv)
    for path in write_samples(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
