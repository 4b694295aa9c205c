"""The curated tables' schemas: one source of truth for types, order and meaning.

The writer enforces these types when it writes Parquet, the DuckDB catalog
takes its comments from here, and the data dictionary and expectation suites
are generated from it. `../shared/contract.md` is the public contract; columns
marked `extension` are our compatible additions, listed in the data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    zh: str
    en: str
    nullable: bool = True
    extension: bool = False


@dataclass(frozen=True)
class TableSchema:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    def arrow(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _provenance() -> tuple[Column, ...]:
    return (
        Column("source_line", pa.int32(), "源文件行号", "1-based line in a text source; null for PDF"),
        Column("source_page", pa.int32(), "PDF页码", "1-based page in a PDF source; null for text"),
    )


DOCUMENTS = TableSchema(
    "documents",
    "报告清单",
    "One row per distinct raw report (identical bytes are one document), with who issued it, "
    "for which year, and how it was parsed.",
    (
        Column("doc_id", pa.string(), "文档编号", "First 16 hex digits of the SHA-256 of the file", False),
        Column("source_path", pa.string(), "源文件路径", "Path relative to the raw directory (first of identical files)", False),
        Column("duplicate_paths", pa.list_(pa.string()), "重复文件路径",
               "Other paths with identical bytes", False),
        Column("sha256", pa.string(), "SHA-256", "Full SHA-256 of the file's bytes", False),
        Column("bytes", pa.int64(), "文件大小", "File size in bytes", False),
        Column("source_format", pa.string(), "源格式", "pdf, text_layout, markdown or tsv (detected from content)"),
        Column("encoding", pa.string(), "文本编码", "Text encoding the file was decoded with; null for PDF",
               extension=True),
        Column("entity_name", pa.string(), "单位名称", "Full official name of the issuing body"),
        Column("entity_level", pa.string(), "行政级别", "province, city, prefecture or county"),
        Column("region", pa.string(), "地区", "Administrative region of the issuing body"),
        Column("fiscal_year", pa.int32(), "年度", "The year the figures are for"),
        Column("report_kind", pa.string(), "报告类型",
               "final_account 决算, budget 预算, or performance_evaluation 绩效自评 only"),
        Column("status", pa.string(), "处理状态", "ok, partial or failed", False),
        Column("error", pa.string(), "错误", "What is wrong and what to do; null unless failed"),
        Column("n_tables", pa.int32(), "表格数", "Tables the reader found in the document", False,
               extension=True),
        Column("n_fiscal_facts", pa.int64(), "财政数据条数", "Rows of fiscal_facts from this document", False),
        Column("n_indicators", pa.int64(), "绩效指标条数", "Rows of performance_indicators from this document", False),
        Column("n_rejects", pa.int64(), "拒收条数", "Rows of rejects from this document", False),
        Column("parsed_at", pa.timestamp("us", tz="UTC"), "解析时间", "When the document was parsed", False),
    ),
)

REJECTS = TableSchema(
    "rejects",
    "拒收记录",
    "Every table row, cell or sheet that could not be parsed, with its reason and provenance: "
    "nothing is silently dropped.",
    (
        Column("doc_id", pa.string(), "文档编号", "Document the rejected text comes from", False),
        Column("stage", pa.string(), "阶段", "Pipeline stage that rejected it (read, fiscal, performance, ...)", False),
        *_provenance(),
        Column("raw_text", pa.string(), "原文", "The text exactly as printed"),
        Column("reason", pa.string(), "原因", "Why it was rejected", False),
    ),
)

CURATED_TABLES: tuple[TableSchema, ...] = (DOCUMENTS, REJECTS)
