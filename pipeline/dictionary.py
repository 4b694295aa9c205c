"""The data dictionary (`docs/data-dictionary.md`), generated from `pipeline/schema.py`.

Regenerate with `python -m pipeline dictionary`; a test keeps the committed
file equal to what the schema says.
"""

from __future__ import annotations

from pipeline.schema import CURATED_TABLES

HEADER = """# Data dictionary

Generated from `pipeline/schema.py` by `python -m pipeline dictionary`; do not edit by hand.
The public contract is `../shared/contract.md`. Columns marked **extension** are
compatible additions of this project (new columns; nothing of the contract removed
or changed).
"""


def render() -> str:
    parts = [HEADER]
    for schema in CURATED_TABLES:
        parts.append(f"\n## `{schema.name}` — {schema.zh}\n\n{schema.en}\n")
        parts.append("| column | type | 中文 | meaning | nullable | |\n|---|---|---|---|---|---|")
        for column in schema.columns:
            parts.append(
                f"| `{column.name}` | `{column.type}` | {column.zh} | {column.en} | "
                f"{'yes' if column.nullable else 'no'} | {'**extension**' if column.extension else ''} |"
            )
    return "\n".join(parts) + "\n"
