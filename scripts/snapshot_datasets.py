"""Rebuild the shipped snapshots of the public datasets (data/datasets/NAME.trig) from the
pinned copies in ../shared/external (or the folder given), with the project's importers.

Only datasets whose licence allows redistribution are shipped: Epoch AI (CC-BY 4.0), the
European Open Source AI Index (CC-BY 4.0) and the Model Openness Tool (MIT). Ecosystem
Graphs states no licence upstream and is not shipped.

    python scripts/snapshot_datasets.py [EXTERNAL_FOLDER]
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.importers.common import run_import

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = {
    "epoch": ["epoch/notable_ai_models.csv", "epoch/all_ai_models.csv"],
    "osai": ["open-source-ai-index"],
    "mof": ["model-openness-tool/models"],
}


def main() -> None:
    external = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "external"
    for name, parts in SHIPPED.items():
        out = ROOT / "data" / "datasets" / f"{name}.trig"
        report = run_import(name, [external / p for p in parts], ROOT, out=out)
        print(f"{name}: {report.records} records from {report.files} files "
              f"({report.matched} linked to curated models, {len(report.skipped)} skipped) "
              f"-> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
