"""Plans written before the store existed: imported the first time a workspace is used.

The previous version of planner left each plan in `outputs/<label>/` (`2026-03`, or
`2026-01-01_2026-06-30`) as a `plan.csv`, sometimes with `.planner-plan.csv`, its copy of
the last `plan.csv` it wrote. Each such folder becomes a run of the store: its items as
planner wrote them (the copy when there is one, else `plan.csv`), its period as covered
days. No export of `plan.csv` is recorded, so the next run reads that file back like any
edited view: what the user changed since the copy becomes their edits, and their own
columns and CSV style are kept. Without the copy, a row whose title or description is not
what its own content gives was typed in: its texts stay the user's. Nothing in the folder
is moved or deleted.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from planner.calendar import Horizon
from planner.config.model import Config
from planner.content import USER_FIELDS, texts
from planner.items import Item
from planner.planning import horizon_from_label
from planner.spreadsheet import read_table
from planner.store.edits import read_items
from planner.store.records import Records, Stored

WRITTEN_COPY = ".planner-plan.csv"
LABEL = re.compile(r"\d{4}-\d{2}|\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}")


def import_folders(
    records: Records, out: Path, config: Config, now: datetime, fingerprint: str
) -> list[str]:
    """Import every plan folder of `out` into a store that has no run yet; their labels."""
    if not out.is_dir():
        return []
    imported: list[str] = []
    for folder in sorted(out.iterdir()):
        if folder.is_symlink() or not folder.is_dir():
            continue
        if not LABEL.fullmatch(folder.name) or not (folder / "plan.csv").is_file():
            continue
        copy = folder / WRITTEN_COPY
        items = read_items(read_table(copy if copy.is_file() else folder / "plan.csv"), config)
        horizon: Horizon = horizon_from_label(folder.name, items)
        run_id = records.new_run(
            f"import de {folder} (plan écrit avant planner.db)",
            now,
            folder.name,
            horizon.start,
            horizon.end,
            fingerprint,
        )
        for item in items:
            owned = frozenset() if copy.is_file() else _typed(config, item)
            records.add_version(run_id, "import", Stored(item, owned), ["importé"])
        records.add_coverage(run_id, horizon.start, horizon.end)
        records.add_folder(folder.name, horizon.start, horizon.end, run_id)
        workbook = folder / "plan.xlsx"
        if workbook.is_file():  # older than plan.csv's edits: plan.csv is the one read back
            records.add_export(run_id, folder.name, "plan.xlsx", workbook.read_bytes())
        records.finish_run(run_id, "importé", None, None, {"added": len(items)})
        imported.append(folder.name)
    return imported


def _typed(config: Config, item: Item) -> frozenset[str]:
    """The texts of a row the user typed in (which of its cells cannot be told)."""
    generated = texts(config, item)
    if (generated.title, generated.description) == (item.title, item.description):
        return frozenset()
    return frozenset(USER_FIELDS)
