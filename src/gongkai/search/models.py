"""What the search index knows about each indexed document, whatever its kind.

`SearchEntry` is the shared, B-tree-indexed part (文号 key, filters, what a hit shows);
`SearchPart` keeps the raw text of each indexed unit (the body in pieces, each attachment chunk)
so snippets can be cut and a contentless FTS5 row can be deleted by recomputing its tokens. The
engine tables themselves (FTS5 `search_fts`, PostgreSQL `search_pg_row`) are created by the
migrations for the database in use; a part's id is also its row id there.
"""

from __future__ import annotations

from django.db import models

# Part ids are entry id × PARTS_PER_ENTRY + ordinal, so a hit's document is `rowid >> 10`.
PARTS_PER_ENTRY = 1024
PART_SHIFT = 10


class SearchEntry(models.Model):
    key = models.CharField("键", max_length=200, unique=True)
    kind = models.CharField("类别", max_length=40)
    title = models.TextField("标题")
    url = models.CharField("地址", max_length=500)
    document_number = models.CharField("发文字号", max_length=200, blank=True)
    docno_key = models.CharField("规范化文号", max_length=200, blank=True, db_index=True)
    organization_id = models.BigIntegerField("发布机构", null=True, blank=True)
    organization_name = models.CharField("发布机构名称", max_length=200, blank=True)
    year = models.SmallIntegerField("年份", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)
    topic = models.CharField("主题分类", max_length=40, blank=True)
    category = models.CharField("第二十条类别", max_length=40, blank=True)
    validity = models.CharField("有效性", max_length=40, blank=True)
    # Title and 文号 both plain (analysis.normalize_checked): highlighted without normalising.
    heads_plain = models.BooleanField("标题文号无需规范化", null=True)

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["organization_id", "year"], name="search_entry_org_year"),
            models.Index(fields=["kind"], name="search_entry_kind"),
        ]

    def __str__(self) -> str:
        return self.key


class SearchPart(models.Model):
    id = models.BigIntegerField(primary_key=True)
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="parts")
    label = models.CharField("位置", max_length=200, blank=True)
    text = models.TextField("文本")
    # analysis.normalize_checked: only punctuation changes when the text is normalised, so its
    # snippet is cut without normalising it again. Null for rows indexed before the column
    # existed (the slow way; nullable so that adding it does not copy a large SQLite table).
    plain = models.BooleanField("无需规范化", null=True)

    class Meta:
        verbose_name = "检索片段"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.label}"


class DocumentNumberRef(models.Model):
    """A 文号 (year and number) found in a document: in its title or own 文号 (`part_id` empty:
    those go with every part) or in one part's text. A query naming a 文号 reads its candidates
    here and checks them in Python, instead of asking the engine for the costly `号*` prefix."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="number_refs")
    part_id = models.BigIntegerField("片段", null=True, blank=True)
    year = models.SmallIntegerField("年份")
    number = models.IntegerField("序号")

    class Meta:
        verbose_name = "文号引用"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["year", "number"], name="search_ref_year_number")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.year}/{self.number}"


class PendingIndexChange(models.Model):
    """An entry whose change the tantivy index has yet to take (its folder is outside the
    database). Written in the same transaction as the change and deleted once the index has
    committed it, so a crash between the two commits leaves these rows behind, and the
    periodic recovery writes those entries again from the stored parts."""

    entry_id = models.BigIntegerField("条目")
    batch = models.CharField("批次", max_length=32, db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "待写入检索索引的变更"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.entry_id} ({self.batch})"
