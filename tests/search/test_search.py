"""search() against the truth of a plain substring scan, plus filters, facets, the broad-query
guard, snippets and removal: on the database's own engine (FTS5 on SQLite, tsvector on
PostgreSQL) and on tantivy."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from gongkai.search import api, tantivy_engine
from gongkai.search.analysis import normalize_text
from gongkai.search.api import Chunk, SearchDocument
from gongkai.search.engines import get_engine
from gongkai.search.models import PendingIndexChange, SearchEntry, SearchPart
from gongkai.search.status import index_status, size_advice

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "tantivy"], autouse=True)
def engine(request: Any, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "tantivy":
        if not tantivy_engine.available():
            pytest.skip("tantivy is not installed")
        settings.SEARCH_BACKEND = "tantivy"
        settings.SEARCH_INDEX_DIR = tmp_path / "index"
        # The test's transaction never commits: write the index at once.
        monkeypatch.setattr(
            tantivy_engine.TantivyEngine, "after_commit", staticmethod(lambda apply: apply())
        )
    return str(request.param)


WORDS = [
    "城乡低保",
    "最低生活保障",
    "低保户",
    "政府信息公开",
    "依申请公开",
    "主动公开",
    "工作",
    "通知",
    "实施意见",
    "教育局",
    "民政局",
    "义务教育",
    "招生",
    "医保",
    "社会救助",
    "年度报告",
    "财政预算",
    "决算",
    "行政许可",
    "行政处罚",
    "突发事件",
    "应急预案",
    "保障性住房",
    "扶贫",
]
ORGS = {1: "临江区人民政府", 2: "临江区教育局", 3: "临江区民政局"}


def make_doc(i: int, rng: random.Random) -> SearchDocument:
    org = rng.choice(list(ORGS))
    year = rng.choice([2019, 2020, 2021])
    title = f"关于印发《{rng.choice(WORDS)}{rng.choice(WORDS)}办法》的通知"
    body = "，".join(rng.choice(WORDS) for _ in range(rng.randint(5, 30))) + "。"
    chunks = tuple(
        Chunk("；".join(rng.choice(WORDS) for _ in range(8)), f"附件1 第{p}页")
        for p in range(1, rng.randint(0, 3) + 1)
    )
    return SearchDocument(
        key=f"publication:{i}",
        title=title,
        body=body,
        url=f"/p/{i}/",
        document_number=f"临府办〔{year}〕{i}号",
        organization_id=org,
        organization_name=ORGS[org],
        year=year,
        published_on=date(year, 1 + i % 12, 1 + i % 28),
        topic=rng.choice(["01", "02"]),
        category=rng.choice(["c1", "c2", "c3"]),
        validity=rng.choice(["valid", "repealed"]),
        chunks=chunks,
    )


def truth(docs: list[SearchDocument], query: str, **filters: Any) -> set[str]:
    """Documents where every group occurs as a substring of the normalised title, 文号, body
    or attachment chunk; several groups must share one unit (title and 文号 go with each)."""
    groups = normalize_text(query).split()
    out = set()
    for d in docs:
        head = [normalize_text(d.title), normalize_text(d.document_number)]
        units = [normalize_text(u) for u in (d.body, *(c.text for c in d.chunks))]
        if not any(all(any(g in f for f in [*head, u]) for g in groups) for u in units):
            continue
        if "organization" in filters and d.organization_id != filters["organization"]:
            continue
        if "year" in filters and d.year != filters["year"]:
            continue
        if "category" in filters and d.category != filters["category"]:
            continue
        out.add(d.key)
    return out


def found(query: str, **filters: Any) -> set[str]:
    results = api.search(query, filters=filters, per_page=100, facets=False)
    keys = {h.key for h in results.hits}
    page = 1
    while results.has_next:
        page += 1
        results = api.search(query, filters=filters, page=page, per_page=100, facets=False)
        keys |= {h.key for h in results.hits}
    return keys


def make_corpus(seed: int = 20) -> list[SearchDocument]:
    rng = random.Random(seed)
    return [make_doc(i, rng) for i in range(1, 121)]


@pytest.fixture
def corpus() -> list[SearchDocument]:
    docs = make_corpus()
    api.index_documents(docs)
    return docs


QUERIES = [
    "低保",
    "低保户",
    "保障",
    "最低生活",
    "政府信息公开",
    "信息公",
    "依申請公開",
    "医保 招生",
    "工作 通知",
    "教育局",
    "〔2020〕12号",
    "2020",
    "临府办〔2020〕12号",
    "临府办[2020]12号",
    "應急預案",
    "號",
    "不存在的词",
]


@pytest.mark.parametrize("query", QUERIES)
def test_results_equal_the_substring_truth(corpus: list[SearchDocument], query: str) -> None:
    """100 % recall and precision against a brute-force scan, attachments included."""
    assert found(query) == truth(corpus, query)


@pytest.mark.parametrize("query", ["低保", "工作 通知", "保障"])
def test_filters_narrow_to_the_substring_truth(corpus: list[SearchDocument], query: str) -> None:
    assert found(query, organization=2, year=2020) == truth(
        corpus, query, organization=2, year=2020
    )
    assert found(query, category="c3") == truth(corpus, query, category="c3")


def test_filter_values_in_a_list_are_alternatives(corpus: list[SearchDocument]) -> None:
    both = found("低保", organization=[2, 3])
    assert both == truth(corpus, "低保", organization=2) | truth(corpus, "低保", organization=3)


def test_punctuation_in_a_query_is_ignored(corpus: list[SearchDocument]) -> None:
    """Tokens skip punctuation, so 救助， finds every 救助 (as 救助 does), and 2020-12号 finds
    〔2020〕12号: looser than a substring scan on punctuation only."""
    assert found("救助，") == truth(corpus, "救助")
    assert found("临府办2020-12号") >= truth(corpus, "临府办〔2020〕12号")


def test_traditional_query_finds_the_simplified_document(corpus: list[SearchDocument]) -> None:
    api.index_documents(
        [SearchDocument("publication:900", "临江区城乡低保标准调整公告", "正文", "/p/900/")]
    )
    assert "publication:900" in found("臨江區城鄉低保")


def test_document_number_variants_find_the_same_document(corpus: list[SearchDocument]) -> None:
    for query in (
        "临府办〔2020〕12号",
        "临府办[2020]12号",
        "臨府辦（2020）12號",
        "臨府辦2020 12號",
    ):
        doc = next(d for d in corpus if d.key == "publication:12")
        results = api.search(query.replace("2020", str(doc.year)))
        assert results.hits[0].key == "publication:12", query


def test_facets_count_documents_of_the_result(corpus: list[SearchDocument]) -> None:
    results = api.search("低保")
    expected = truth(corpus, "低保")
    assert results.total == len(expected)
    assert sum(n for _, n in results.facets["organization"]) == len(expected)
    by_year = dict(results.facets["year"])
    for year in (2019, 2020, 2021):
        assert by_year.get(year, 0) == len(truth(corpus, "低保", year=year))
    assert results.organization_names[2] == "临江区教育局"


def test_title_matches_rank_first(corpus: list[SearchDocument]) -> None:
    api.index_documents(
        [
            SearchDocument("publication:901", "芭蕾舞团演出安排", "正文无关", "/p/901/"),
            SearchDocument("publication:902", "其他事项", "本周有芭蕾舞团演出。", "/p/902/"),
        ]
    )
    results = api.search("芭蕾舞")
    assert [h.key for h in results.hits] == ["publication:901", "publication:902"]


def test_hits_are_grouped_by_document_with_matched_chunk_labels() -> None:
    api.index_documents(
        [
            SearchDocument(
                "publication:1",
                "关于公布名单的通知",
                "名单见附件。",
                "/p/1/",
                chunks=(
                    Chunk("第一批低保对象名单", "附件1 第1页"),
                    Chunk("无关内容", "附件1 第2页"),
                    Chunk("第二批低保对象名单", "附件1 第3页"),
                ),
            )
        ]
    )
    results = api.search("低保对象")
    assert results.total == 1
    (hit,) = results.hits
    assert hit.chunk_labels == ("附件1 第1页", "附件1 第3页")
    assert "<mark>低保对象</mark>" in hit.snippet


def test_snippets_mark_matches_and_escape_html() -> None:
    api.index_documents(
        [SearchDocument("x:1", "<script>低保</script>", "城乡<b>低保</b>标准", "/x/1/")]
    )
    (hit,) = api.search("低保").hits
    assert hit.title_html == "&lt;script&gt;<mark>低保</mark>&lt;/script&gt;"
    assert hit.snippet == "城乡&lt;b&gt;<mark>低保</mark>&lt;/b&gt;标准"


def test_plain_texts_are_highlighted_without_normalising_and_alike() -> None:
    api.index_documents(
        [
            SearchDocument(
                "p:1", "关于城乡低保（2024）的通知", "城乡低保标准，自2024年起调整。", "/p/1/"
            ),
            SearchDocument("p:2", "關於城鄉低保的通知", "城鄉低保標準調整。", "/p/2/"),
        ]
    )
    plain = dict(SearchPart.objects.values_list("entry__key", "plain"))
    heads = dict(SearchEntry.objects.values_list("key", "heads_plain"))
    assert plain == {"p:1": True, "p:2": False} and heads == {"p:1": True, "p:2": False}
    hits = {h.key: h for h in api.search("低保").hits}
    assert hits["p:1"].snippet == "城乡<mark>低保</mark>标准，自2024年起调整。"
    assert hits["p:1"].title_html == "关于城乡<mark>低保</mark>（2024）的通知"
    assert hits["p:2"].snippet == "城鄉<mark>低保</mark>標準調整。"
    assert hits["p:2"].title_html == "關於城鄉<mark>低保</mark>的通知"


def test_long_bodies_are_found_across_part_boundaries() -> None:
    """Bodies are cut into overlapping parts; a phrase on the cut is still found, once."""
    body = "甲" * (api.PART_CHARS - 3) + "社会救助暂行办法" + "乙" * 9000
    api.index_documents([SearchDocument("x:2", "长文", body, "/x/2/")])
    results = api.search("社会救助暂行办法")
    assert [h.key for h in results.hits] == ["x:2"]
    assert "<mark>社会救助暂行办法</mark>" in results.hits[0].snippet


@pytest.mark.parametrize("query", ["工作", "政府信息公开", "低保 通知", "最低生活保"])
def test_broad_queries_are_served_newest_first_with_a_lower_bound(
    corpus: list[SearchDocument], settings: Any, query: str
) -> None:
    settings.SEARCH_BROAD_QUERY_HITS = 10
    expected = truth(corpus, query)
    assert len(expected) > 10
    results = api.search(query, per_page=5)
    assert not results.total_is_exact
    assert results.total == 11  # counted up to the cap + 1: "more than 10"
    keys = [h.key for h in results.hits]
    newest = sorted(expected, key=lambda k: -int(k.split(":")[1]))
    assert keys == newest[:5]
    second = api.search(query, per_page=5, page=2)
    assert [h.key for h in second.hits] == newest[5:10]
    deep = api.search(query, per_page=5, page=len(expected) // 5)  # read further down
    assert [h.key for h in deep.hits] == newest[(len(expected) // 5 - 1) * 5 :][:5]
    narrow = api.search("芭蕾舞团")
    assert narrow.total_is_exact


def test_reindexing_a_document_replaces_its_old_text(corpus: list[SearchDocument]) -> None:
    api.index_documents([SearchDocument("publication:1", "改后的标题", "完全不同的正文", "/p/1/")])
    assert "publication:1" not in found("低保") | found("工作")
    assert found("完全不同") == {"publication:1"}
    assert found("改后") == {"publication:1"}


def test_overlong_fields_are_cut_consistently_so_updates_stay_clean() -> None:
    """Replacing a document replays its stored tokens; fields cut to their column size must
    not leave the old text findable."""
    long_number = "长府办〔2020〕12号" + "附" * 300
    api.index_documents(
        [SearchDocument("x:5", "旧标题", "旧正文", "/x/5/", long_number, topic="主题" * 30)]
    )
    api.index_documents([SearchDocument("x:5", "新标题", "新正文", "/x/5/")])
    assert found("旧正文") == set() and found("旧标题") == set()
    assert found("新正文") == {"x:5"}
    api.remove_documents(["x:5"])
    assert found("新正文") == set()


def test_removed_documents_are_not_found(corpus: list[SearchDocument]) -> None:
    gone = sorted(truth(corpus, "低保"))[:3]
    api.remove_documents(gone)
    assert found("低保") == truth(corpus, "低保") - set(gone)
    assert found("政府信息公开") == truth(corpus, "政府信息公开") - set(gone)


def test_filters_without_a_query_list_the_newest(corpus: list[SearchDocument]) -> None:
    results = api.search("", filters={"organization": 3}, per_page=100)
    expected = [d.key for d in reversed(corpus) if d.organization_id == 3]
    assert [h.key for h in results.hits] == expected
    assert api.search("").total == len(corpus)


def test_unknown_filter_is_refused() -> None:
    with pytest.raises(ValueError):
        api.search("低保", filters={"colour": "red"})


def test_reindex_command_rebuilds_from_registered_sources(corpus: list[SearchDocument]) -> None:
    extra = [SearchDocument("note:1", "公告栏", "低保复核公告", "/n/1/")]
    saved = dict(api._SOURCES)  # the portal registers "publication" at start-up: restore it
    api.register_source("publication", lambda: corpus[:50])
    api.register_source("note", lambda: extra)
    try:
        call_command("search", "reindex")
        assert found("低保") == truth(corpus[:50] + extra, "低保")
        api.register_source("note", lambda: [SearchDocument("note:2", "新公告", "医保", "/n/2/")])
        call_command("search", "reindex", "--kind", "note")
        assert found("低保") == truth(corpus[:50], "低保")
        assert found("医保") == truth(corpus[:50], "医保") | {"note:2"}
        api.index_documents([SearchDocument("note:3", "增量", "增量文档", "/n/3/")])
        assert found("增量文档") == {"note:3"}
    finally:
        api._SOURCES.clear()
        api._SOURCES.update(saved)


def test_status_reports_the_index_and_advises_another_engine_past_its_size(
    corpus: list[SearchDocument], capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine_class = type(get_engine())
    call_command("search", "status")
    out = capsys.readouterr().out
    parts = SearchPart.objects.count()
    assert f"已索引：{len(corpus)} 篇，{parts} 个片段" in out
    assert "无需处理" in out and "tantivy：安装" not in out

    monkeypatch.setattr(engine_class, "suggested_max_documents", len(corpus) - 1)
    call_command("search", "status")
    out = capsys.readouterr().out
    assert f"已索引 {len(corpus)} 篇，超过" in out and "GONGKAI_SEARCH_BACKEND=tantivy" in out
    # A reindex that leaves the index past that size says so too; one that does not, not.
    saved = dict(api._SOURCES)
    api.register_source("publication", lambda: corpus)
    try:
        call_command("search", "reindex")
        assert "GONGKAI_SEARCH_BACKEND=tantivy" in capsys.readouterr().out
        monkeypatch.setattr(engine_class, "suggested_max_documents", len(corpus))
        call_command("search", "reindex")
        assert "GONGKAI_SEARCH_BACKEND=tantivy" not in capsys.readouterr().out
    finally:
        api._SOURCES.clear()
        api._SOURCES.update(saved)


def test_the_embedded_default_carries_its_measured_size_limit() -> None:
    """The advice above is live for FTS5: the size past which bench/search.py measured it
    slower than tantivy by a factor of 3–4."""
    from gongkai.search.engines import Fts5Engine

    assert Fts5Engine.suggested_max_documents == 500_000
    assert size_advice(Fts5Engine(), 500_001) and not size_advice(Fts5Engine(), 500_000)


def test_status_advises_on_stale_pending_changes_and_unflagged_parts(
    corpus: list[SearchDocument],
) -> None:
    entry = SearchEntry.objects.first()
    assert entry is not None
    pending = PendingIndexChange.objects.create(entry_id=entry.pk, batch="lost")
    # Pending for a minute is the normal path of a tantivy write; only a stale one is advice.
    assert index_status().pending == 1 and index_status().advice == []
    PendingIndexChange.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    SearchPart.objects.filter(entry=entry).update(plain=None)
    advice = index_status().advice
    assert len(advice) == 2
    assert "有 1 条索引更改尚未写入索引" in advice[0] and "任务进程" in advice[0]
    unflagged = SearchPart.objects.filter(entry=entry).count()
    assert f"有 {unflagged} 个片段是旧版本索引的" in advice[1]


def test_query_command_prints_hits(corpus: list[SearchDocument], capsys: Any) -> None:
    call_command("search", "query", "低保", "--organization", "2")
    out = capsys.readouterr().out
    assert f"共 {len(truth(corpus, '低保', organization=2))} 篇" in out
    assert "【低保】" in out and "<mark>" not in out


def test_index_on_commit_indexes_after_the_transaction(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        api.index_on_commit([SearchDocument("x:9", "提交后索引", "正文", "/x/9/")])
        assert found("提交后") == set()
    assert found("提交后") == {"x:9"}
    with django_capture_on_commit_callbacks(execute=True):
        api.remove_on_commit(["x:9"])
    assert found("提交后") == set()


CJK = "低保城乡工作政府信息公开号办"


@hyp_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.text(alphabet=CJK + "，。 12", min_size=1, max_size=30), min_size=1, max_size=6),
    st.data(),
)
def test_the_engine_finds_every_substring_and_nothing_else(
    texts: list[str], data: st.DataObject
) -> None:
    """On the database's own engine: a query cut from a random document finds exactly the
    documents that contain it (Chinese runs; digits are whole tokens, punctuation ignored)."""
    docs = [SearchDocument(f"h:{i}", "", text, f"/h/{i}/") for i, text in enumerate(texts)]
    api.index_documents(docs)
    try:
        source = data.draw(st.sampled_from(texts))
        runs = [run for run in re.findall(f"[{CJK}]+", source)]
        if not runs:
            return
        run = data.draw(st.sampled_from(runs))
        start = data.draw(st.integers(0, len(run) - 1))
        query = run[start : data.draw(st.integers(start + 1, len(run)))]
        assert found(query) == {d.key for d in docs if query in d.body}
    finally:
        api.remove_documents([d.key for d in docs])


@pytest.fixture
def citing(corpus: list[SearchDocument]) -> list[SearchDocument]:
    """Documents citing 文号 of the corpus in their title, body, an attachment, or in pieces."""
    extra = [
        SearchDocument(
            "c:0", "招生工作意见", "正文。", "/c/0/", document_number="临教发〔2020〕12号"
        ),
        SearchDocument("c:1", "关于转发临教发〔2020〕12号文件的通知", "请遵照执行。", "/c/1/"),
        SearchDocument("c:2", "落实通知", "根据临教发[2020]12号文件精神，做好低保工作。", "/c/2/"),
        SearchDocument(
            "c:3",
            "附件说明",
            "见附件。",
            "/c/3/",
            chunks=(Chunk("依据临教发（2020）12号", "附件1 第2页"),),
        ),
        SearchDocument("c:4", "年度公告", "2020年第12号公告已废止。", "/c/4/", organization_id=2),
        SearchDocument("c:5", "不相干", "临府办〔2020〕120号与2020-12号并存", "/c/5/", year=2020),
    ]
    api.index_documents(extra)
    return corpus + extra


DOCNO_QUERIES = [
    "临教发〔2020〕12号",
    "〔2020〕12号",
    "臨教發（2020）12號",
    "2020年第12号",
    "2020-12号",
    "低保 〔2020〕12号",
    "〔2020〕120号",
    "教发〔2020〕12号文",
]


@pytest.mark.parametrize("query", DOCNO_QUERIES)
def test_document_number_queries_answered_from_references_equal_the_engine(
    citing: list[SearchDocument], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query naming a 文号 is answered from the reference table; the engine's own answer
    (with the 文号 key column first) is the yardstick, filters included."""
    by_reference = found(query), found(query, organization=2), found(query, year=2020)
    monkeypatch.setattr(api, "query_tail", lambda phrases: None)
    assert by_reference == (found(query), found(query, organization=2), found(query, year=2020))
    assert by_reference[0]  # every query of the list has hits


def test_document_number_query_shows_the_numbered_document_first_then_citations(
    citing: list[SearchDocument],
) -> None:
    results = api.search("临教发[2020]12号")
    assert results.hits[0].key == "c:0"
    assert {h.key for h in results.hits[1:]} == {"c:1", "c:2", "c:3"}
    assert results.total == 4 and results.total_is_exact
    attachment = next(h for h in results.hits if h.key == "c:3")
    assert attachment.chunk_labels == ("附件1 第2页",)
    assert "<mark>" in attachment.snippet


def test_references_follow_reindexing_and_removal(citing: list[SearchDocument]) -> None:
    api.index_documents([SearchDocument("c:2", "落实通知", "不再引用文号。", "/c/2/")])
    assert found("临教发〔2020〕12号") == {"c:0", "c:1", "c:3"}
    api.remove_documents(["c:1"])
    assert found("临教发〔2020〕12号") == {"c:0", "c:3"}


def test_a_very_common_document_number_falls_back_to_the_engine(
    citing: list[SearchDocument], settings: Any
) -> None:
    every = found("〔2020〕12号")
    settings.SEARCH_BROAD_QUERY_HITS = 2
    results = api.search("〔2020〕12号")
    assert not results.total_is_exact  # more than 2 candidates: the engine's guard applies
    assert results.hits and {h.key for h in results.hits} <= every


def test_existing_index_gets_its_references_from_the_stored_text(
    citing: list[SearchDocument],
) -> None:
    import importlib

    from django.apps import apps

    from gongkai.search.models import DocumentNumberRef

    before = set(DocumentNumberRef.objects.values_list("entry_id", "part_id", "year", "number"))
    DocumentNumberRef.objects.all().delete()
    migration = importlib.import_module("gongkai.search.migrations.0003_document_number_refs")
    migration.backfill(apps, None)
    after = set(DocumentNumberRef.objects.values_list("entry_id", "part_id", "year", "number"))
    assert after == before and len(before) > len(citing)


def test_with_a_filter_title_matches_still_rank_first() -> None:
    """Filtered queries skip bm25 (its document frequencies read whole doclists); they rank
    title matches first, then newest first."""
    docs = [
        SearchDocument("x:31", "芭蕾舞团演出安排", "正文无关", "/x/31/", organization_id=5),
        SearchDocument("x:32", "其他事项", "本周有芭蕾舞团演出。", "/x/32/", organization_id=5),
        SearchDocument("x:33", "又一事项", "芭蕾舞团再演出。", "/x/33/", organization_id=5),
        SearchDocument("x:34", "芭蕾舞团另一场", "无关", "/x/34/", organization_id=6),
    ]
    api.index_documents(docs)
    keys = [h.key for h in api.search("芭蕾舞团", filters={"organization": 5}).hits]
    assert keys == ["x:31", "x:33", "x:32"]


def test_a_hit_on_its_own_document_number_marks_the_number_not_stray_digits() -> None:
    api.index_documents(
        [
            SearchDocument(
                "x:41",
                "招生工作意见",
                "2024年9月1日起施行，2024年度招生12所学校。",
                "/x/41/",
                document_number="临教发〔2024〕12号",
            )
        ]
    )
    hit = api.search("临教发[2024]12号").hits[0]
    assert hit.key == "x:41"
    assert hit.document_number_html == "<mark>临教发〔2024〕12号</mark>"
    assert "<mark>" not in hit.snippet  # the body does not contain the number
    across = api.search("2024-12号")  # matched across punctuation: marked run by run
    assert "<mark>2024</mark>〕<mark>12号</mark>" in across.hits[0].document_number_html


def _stored_index() -> tuple[list[Any], list[Any], list[Any]]:
    from gongkai.search.models import DocumentNumberRef

    entries = list(
        SearchEntry.objects.order_by("id").values_list("id", "key", "docno_key", "heads_plain")
    )
    parts = list(SearchPart.objects.order_by("id").values_list("id", "label", "text", "plain"))
    refs = sorted(DocumentNumberRef.objects.values_list("entry_id", "part_id", "year", "number"))
    return entries, parts, refs


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the process pools started (real pools)."""
    from gongkai.search import prepare

    started: list[int] = []
    real_pool = prepare.ProcessPoolExecutor

    def counted_pool(*args: Any, **kwargs: Any) -> Any:
        started.append(kwargs["max_workers"])
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(prepare, "ProcessPoolExecutor", counted_pool)
    return started


def test_a_rebuild_analysed_in_worker_processes_equals_one_analysed_in_process(
    settings: Any, monkeypatch: pytest.MonkeyPatch, pools: list[int]
) -> None:
    docs = make_corpus(seed=31)
    monkeypatch.setattr(api, "BATCH", 7)  # 18 batches: the pool starts and keeps 3 in flight
    settings.SEARCH_REBUILD_WORKERS = "2"
    assert api.rebuild(iter(docs)) == len(docs)
    assert pools == [2]
    in_workers = _stored_index()
    results = {q: found(q) for q in QUERIES}
    assert results == {q: truth(docs, q) for q in QUERIES}

    settings.SEARCH_REBUILD_WORKERS = "0"
    api.rebuild(iter(docs))
    assert pools == [2]
    assert _stored_index() == in_workers
    assert {q: found(q) for q in QUERIES} == results


def test_a_failure_in_a_worker_process_keeps_the_old_index(
    corpus: list[SearchDocument], settings: Any, monkeypatch: pytest.MonkeyPatch, pools: list[int]
) -> None:
    monkeypatch.setattr(api, "BATCH", 10)
    settings.SEARCH_REBUILD_WORKERS = "1"
    before = _stored_index()
    # A title that is not text fails in the analysing process, in the sixth batch.
    broken = SearchDocument("publication:bad", 5, "低保", "/bad/")  # type: ignore[arg-type]
    replacement = [replace(d, body="替换后的正文") for d in corpus]
    with pytest.raises(TypeError):
        api.rebuild(iter([*replacement[:55], broken, *replacement[55:]]))
    assert pools == [1]
    assert _stored_index() == before
    assert found("低保") == truth(corpus, "低保")
    assert found("替换后") == set()


def test_a_daemonic_process_rebuilds_without_a_pool(
    settings: Any, monkeypatch: pytest.MonkeyPatch, pools: list[int]
) -> None:
    import multiprocessing

    docs = make_corpus(seed=32)
    monkeypatch.setattr(api, "BATCH", 10)
    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)  # type: ignore[attr-defined]
    settings.SEARCH_REBUILD_WORKERS = "2"
    assert api.rebuild(iter(docs)) == len(docs)
    assert pools == []  # it could not have started one
    assert found("低保") == truth(docs, "低保")


def test_a_rebuild_refuses_to_run_while_a_worker_imports_the_main_module(
    corpus: list[SearchDocument], monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    # What a worker sees when the rebuilding script has no `if __name__ == "__main__":`.
    monkeypatch.setattr(multiprocessing.current_process(), "_inheriting", True, raising=False)
    with pytest.raises(RuntimeError, match="__main__"):
        api.rebuild(iter(corpus))
    monkeypatch.undo()
    assert found("低保") == truth(corpus, "低保")
