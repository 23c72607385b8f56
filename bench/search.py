"""Full-text search at scale: build, size, latency, recall, overheads, for each backend.

A synthetic corpus (titles like 临江区教育局关于印发《…》的通知, 文号 like 临教发〔2024〕12号,
bodies of 1.5–2 KB, attachment text on 40 % of documents) is indexed with `gongkai search`'s
own rebuild and, for comparison, straight into a bare engine table with the same token text.
Then ~95 queries in five classes (one word, two words, phrase, two characters, 文号) run with
and without an organisation+year filter.

Printed per backend: rebuild time and the bare build; index and stored-text sizes; p50/p95/max
per class of `search()` (top 20 with snippets) and of the same query run directly on the engine;
文号 key lookups; recall and precision against a brute-force substring scan.

    GONGKAI_BENCH_SEARCH_DOCS=100000 python bench/search.py            # default 1,000,000
    GONGKAI_BENCH_DATABASE_URL=postgres://gongkai@127.0.0.1:55432/gk_search_bench  # adds PostgreSQL
    GONGKAI_BENCH_SEARCH_BACKENDS=sqlite,tantivy                        # only these
    GONGKAI_BENCH_SEARCH_KEEP=/var/tmp/gk-bench   # keep the SQLite index there (tantivy's in
                                                  # its folder tantivy/); a later run with the
                                                  # same size measures queries only
    GONGKAI_BENCH_SEARCH_BARE=0                   # skip the bare engine build

Run with `make bench` (never part of `make test`).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta

DOCS = int(os.environ.get("GONGKAI_BENCH_SEARCH_DOCS", "1000000"))
PG_URL = os.environ.get("GONGKAI_BENCH_DATABASE_URL", "")
BACKENDS = os.environ.get("GONGKAI_BENCH_SEARCH_BACKENDS", "sqlite,postgresql,tantivy").split(",")
KEEP = os.environ.get("GONGKAI_BENCH_SEARCH_KEEP", "")
BARE = os.environ.get("GONGKAI_BENCH_SEARCH_BARE", "1") != "0"
SEED = 2026


def main() -> None:
    if "--backend" in sys.argv:
        run(sys.argv[sys.argv.index("--backend") + 1])
        return
    for backend in BACKENDS:
        if backend == "postgresql" and not PG_URL:
            print("== postgresql: skipped (set GONGKAI_BENCH_DATABASE_URL)")
            continue
        env = dict(os.environ)
        keep = {"sqlite": KEEP, "tantivy": os.path.join(KEEP, "tantivy")}.get(backend, "")
        if KEEP and keep:
            os.makedirs(keep, exist_ok=True)
        env["GONGKAI_DATA_DIR"] = (
            keep if KEEP and keep else tempfile.mkdtemp(prefix="gongkai-bench-search-")
        )
        env.pop("GONGKAI_SEARCH_INDEX_DIR", None)
        env["DATABASE_URL"] = PG_URL if backend == "postgresql" else ""
        env["GONGKAI_SEARCH_BACKEND"] = backend
        subprocess.run([sys.executable, __file__, "--backend", backend], env=env, check=True)


# --- corpus ----------------------------------------------------------------------------------

COMMON = [
    "工作",
    "加强",
    "推进",
    "落实",
    "建设",
    "管理",
    "服务",
    "发展",
    "制度",
    "机制",
    "规定",
    "要求",
    "实施",
    "保障",
    "监督",
    "检查",
    "政府",
    "部门",
    "单位",
    "社会",
    "群众",
    "企业",
    "项目",
    "资金",
    "政策",
    "措施",
    "安全",
    "质量",
    "信息",
    "公开",
    "组织",
    "领导",
    "责任",
    "考核",
    "规范",
    "标准",
    "统筹",
    "协调",
    "提升",
    "完善",
    "健全",
    "深化",
    "改革",
    "创新",
    "开展",
    "推动",
    "促进",
    "加快",
    "强化",
    "重点",
    "任务",
    "目标",
    "计划",
    "方案",
    "办法",
    "意见",
    "通知",
    "报告",
    "公告",
    "通报",
    "批复",
    "决定",
    "会议",
    "研究",
    "部署",
    "全面",
    "进一步",
    "有关",
    "事项",
    "情况",
    "相关",
    "按照",
]
TOPICS = [
    "城乡低保",
    "最低生活保障",
    "医疗保险",
    "义务教育",
    "招生入学",
    "老旧小区改造",
    "垃圾分类",
    "安全生产",
    "食品安全",
    "环境保护",
    "扶贫开发",
    "乡村振兴",
    "疫情防控",
    "营商环境",
    "一网通办",
    "社会救助",
    "养老服务",
    "住房保障",
    "就业创业",
    "财政预算",
    "政府采购",
    "行政许可",
    "行政处罚",
    "应急管理",
    "河长制",
    "水系连通工程",
    "农村公路",
    "残疾人保障",
    "退役军人",
    "双拥工作",
    "医保",
    "社保",
    "扶贫",
    "环保",
    "台账",
    "低保户",
    "政务公开",
    "信息公开",
    "依申请公开",
    "行政复议",
]
DISTRICTS = [
    "临江",
    "江北",
    "东城",
    "西湖",
    "南山",
    "北塘",
    "清河",
    "石桥",
    "松岭",
    "白沙",
    "金水",
    "玉泉",
    "青浦",
    "长宁",
    "徐汇",
    "杨浦",
]
DEPARTMENTS = [
    ("人民政府", "府"),
    ("人民政府办公室", "府办"),
    ("教育局", "教"),
    ("民政局", "民"),
    ("财政局", "财"),
    ("卫生健康委员会", "卫健"),
    ("住房和城乡建设局", "建"),
    ("生态环境局", "环"),
    ("市场监督管理局", "市监"),
    ("应急管理局", "应急"),
    ("人力资源和社会保障局", "人社"),
    ("农业农村局", "农"),
]
SUFFIXES = ["实施办法", "管理办法", "工作方案", "实施意见", "考核细则", "暂行规定", "行动计划"]
# Ordinary simplified characters for the long tail of rare words.
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质信技术安全河湖林草田园村镇"
)
ORGS = [(d + n, d[0] + a) for d in DISTRICTS for n, a in DEPARTMENTS]


def _vocab(rng: random.Random) -> list[str]:
    return [
        "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 3, 3, 4)))) for _ in range(6000)
    ]


class Corpus:
    """Deterministic: the same seed gives the same documents, so the truth scan regenerates them
    instead of holding a million bodies in memory."""

    def __init__(self, n: int) -> None:
        self.n = n
        rng = random.Random(SEED)
        self.rare = _vocab(rng)
        weights = [1 / (i + 1) for i in range(len(self.rare))]
        sentences = []
        for _ in range(20000):
            words = []
            for _ in range(rng.randint(6, 12)):
                r = rng.random()
                if r < 0.5:
                    words.append(rng.choice(COMMON))
                elif r < 0.65:
                    words.append(rng.choice(TOPICS))
                else:
                    words.append(rng.choices(self.rare, weights)[0])
            sentences.append("".join(words) + rng.choice("，，。；"))
        self.sentences = sentences

    def __iter__(self) -> Iterator:  # type: ignore[type-arg]
        from gongkai.search.api import Chunk, SearchDocument

        rng = random.Random(SEED + 1)
        start = date(2015, 1, 1)
        span = (date(2025, 12, 31) - start).days
        seq: dict[tuple[str, int], int] = {}
        for i in range(1, self.n + 1):
            org_index = rng.randrange(len(ORGS))
            org, prefix = ORGS[org_index]
            published = start + timedelta(days=span * i // self.n)
            year = published.year
            seq[(prefix, year)] = number = seq.get((prefix, year), 0) + 1
            kind = rng.choice(("发", "发", "字", "函"))
            opening, closing = rng.choice(
                (("〔", "〕"), ("〔", "〕"), ("〔", "〕"), ("[", "]"), ("（", "）"))
            )
            docno = f"{prefix}{kind}{opening}{year}{closing}{number}号"
            topic = rng.choice(TOPICS)
            title = rng.choice(
                (
                    f"{org}关于印发《{org[:2]}区{topic}{rng.choice(SUFFIXES)}》的通知",
                    f"{org}关于做好{year}年{topic}工作的通知",
                    f"关于{topic}工作情况的报告",
                    f"{org}关于{rng.choice(self.rare)}{topic}有关事项的公告",
                )
            )
            body = [f"为进一步做好{topic}工作，结合本单位实际，现将有关事项通知如下。"]
            if rng.random() < 0.1:
                body.append(
                    f"根据{ORGS[rng.randrange(len(ORGS))][1]}发〔{year}〕{rng.randint(1, 200)}号文件精神，"
                )
            body += rng.choices(self.sentences, k=rng.randint(12, 17))
            body.append(f"{org}\n{published.isoformat()}")
            chunks = ()
            if rng.random() < 0.4:
                chunks = tuple(
                    Chunk("".join(rng.choices(self.sentences, k=12)), f"附件{k} 第1页")
                    for k in range(1, rng.randint(1, 2) + 1)
                )
            yield SearchDocument(
                key=f"publication:{i}",
                title=title,
                body="".join(body),
                url=f"/p/{i}/",
                document_number=docno,
                organization_id=org_index + 1,
                organization_name=org,
                year=year,
                published_on=published,
                topic=f"{rng.randint(1, 22):02d}",
                category=f"c{rng.randint(1, 15)}",
                validity=rng.choice(("valid",) * 8 + ("amended", "repealed")),
                chunks=chunks,
            )


def make_queries(corpus: Corpus) -> list[tuple[str, str, dict[str, int]]]:
    """(class, query, filter) with the filter taken from a document that matches."""
    from gongkai.core.text import to_traditional

    rng = random.Random(SEED + 2)
    sample = [d for i, d in enumerate(corpus) if i % max(1, corpus.n // 400) == 0][:400]
    from gongkai.search.analysis import _FULL_WIDTH, normalize_text

    odd = [d.key for d in sample if normalize_text(d.body) != d.body.translate(_FULL_WIDTH)]
    assert not odd, f"generated bodies must already be normalised: {odd[:3]}"
    out: list[tuple[str, str, dict[str, int]]] = []

    def flt(doc) -> dict[str, int]:  # type: ignore[no-untyped-def]
        return {"organization": doc.organization_id, "year": doc.year}

    for word in rng.sample(COMMON, 8) + rng.sample(TOPICS, 6) + rng.sample(corpus.rare[:300], 6):
        out.append(("t1", word, flt(rng.choice(sample))))
    for _ in range(20):
        a, b = rng.choice(TOPICS), rng.choice(COMMON + corpus.rare[:100])
        out.append(("and2", f"{a} {b}", flt(rng.choice(sample))))
    for _ in range(20):
        while True:  # a run of Chinese text from a document, 5 to 9 characters
            doc = rng.choice(sample)
            at = rng.randrange(len(doc.body) - 12)
            piece = doc.body[at : at + rng.randint(5, 9)]
            if all("\u4e00" <= ch <= "\u9fff" for ch in piece):
                break
        out.append(("phrase", piece, flt(doc)))
    two_char_rare = [w for w in corpus.rare[:2000] if len(w) == 2][:5]
    for word in [
        "低保",
        "医保",
        "社保",
        "扶贫",
        "环保",
        "台账",
        "养老",
        "就业",
        "招生",
        "河长",
        *two_char_rare,
    ]:
        out.append(("c2", word, flt(rng.choice(sample))))
    for doc in rng.sample(sample, 10):
        number = doc.document_number
        variant = rng.choice(
            (number, to_traditional(number), number.replace("〔", "[").replace("〕", "]"))
        )
        out.append(("docno", variant, flt(doc)))
    for doc in rng.sample(sample, 10):
        number = doc.document_number
        out.append(("docno", number[number.index(str(doc.year)) - 1 :], flt(doc)))
    return out


# --- measuring -------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    fn()  # warm
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def truth_sets(corpus: Corpus, queries) -> list[tuple[set[int], set[int]]]:  # type: ignore[no-untyped-def]
    """Brute-force substring scan with the same rule as search(): every group in the title, the
    文号 or one unit (body or attachment chunk). Returns (all, filtered) doc ids per query."""
    from gongkai.search.analysis import _FULL_WIDTH, normalize_text

    groups = [normalize_text(q).split() for _, q, _ in queries]
    found: list[tuple[set[int], set[int]]] = [(set(), set()) for _ in queries]
    for i, doc in enumerate(corpus, start=1):
        head = normalize_text(doc.title) + "\x00" + normalize_text(doc.document_number)
        # Generated bodies only need full-width punctuation folded (checked in make_queries).
        units = [doc.body.translate(_FULL_WIDTH)] + [
            c.text.translate(_FULL_WIDTH) for c in doc.chunks
        ]
        for qi, gs in enumerate(groups):
            if any(all(g in head or g in u for g in gs) for u in units):
                found[qi][0].add(i)
                f = queries[qi][2]
                if doc.organization_id == f["organization"] and doc.year == f["year"]:
                    found[qi][1].add(i)
    return found


def cached_truth(corpus: Corpus, queries) -> list[tuple[set[int], set[int]]]:  # type: ignore[no-untyped-def]
    """The scan's answer, kept beside GONGKAI_BENCH_SEARCH_KEEP for the same corpus and queries
    (deterministic from the seed): 8 minutes at 1M documents."""
    import hashlib
    import pickle

    if not KEEP:
        return truth_sets(corpus, queries)
    key = hashlib.sha256(repr((DOCS, SEED, queries)).encode()).hexdigest()[:16]
    path = os.path.join(KEEP, f"truth-{DOCS}-{key}.pickle")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return pickle.load(f)  # written by this script
    truth = truth_sets(corpus, queries)
    with open(path, "wb") as f:
        pickle.dump(truth, f)
    return truth


def raw_build_tantivy(corpus: Corpus) -> float:
    """The same token text straight into a bare tantivy index (same schema, same writer)."""
    from gongkai.search import tantivy_engine
    from gongkai.search.analysis import token_text
    from gongkai.search.api import _parts
    from gongkai.search.engines import Row
    from gongkai.search.models import PARTS_PER_ENTRY

    start = time.perf_counter()
    index = tantivy_engine.tantivy.Index(
        tantivy_engine._schema(), path=tempfile.mkdtemp(prefix="gongkai-bench-bare-tantivy-")
    )
    writer = index.writer(heap_size=512_000_000, num_threads=0)
    for i, doc in enumerate(corpus, start=1):
        title, docno = token_text(doc.title), token_text(doc.document_number)
        for ordinal, (_, text) in enumerate(_parts(doc)):
            row = Row(
                i * PARTS_PER_ENTRY + ordinal, title, docno, token_text(text), doc.organization_id,
                doc.year, doc.kind, doc.topic, doc.category, doc.validity,
            )  # fmt: skip
            writer.add_document(tantivy_engine.TantivyEngine._document(row))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - start


def raw_build(corpus: Corpus, backend: str) -> float:
    """The same token text straight into a bare engine table: no entry or part tables."""
    if backend == "tantivy":
        return raw_build_tantivy(corpus)
    from django.db import connection, transaction

    from gongkai.search.analysis import token_text
    from gongkai.search.api import _parts
    from gongkai.search.engines import Row
    from gongkai.search.models import PARTS_PER_ENTRY
    from gongkai.search.postgres_engine import PostgresEngine

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if backend == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS bench_raw_fts")
            cursor.execute(
                "CREATE VIRTUAL TABLE bench_raw_fts USING fts5(t, n, b, f, content='', "
                "tokenize='unicode61')"
            )
        else:
            cursor.execute("DROP TABLE IF EXISTS bench_raw_pg")
            cursor.execute("CREATE TABLE bench_raw_pg (LIKE search_pg_row INCLUDING DEFAULTS)")
            cursor.execute("ALTER TABLE bench_raw_pg ADD PRIMARY KEY (id)")
            for column in ("organization_id, year", "year", "category", "topic", "validity"):
                cursor.execute(f"CREATE INDEX ON bench_raw_pg ({column})")
        batch: list[tuple] = []  # type: ignore[type-arg]

        def flush() -> None:
            if backend == "sqlite":
                cursor.executemany(
                    "INSERT INTO bench_raw_fts(rowid, t, n, b, f) VALUES (%s, %s, %s, %s, %s)",
                    batch,
                )
            else:
                cursor.executemany(
                    "INSERT INTO bench_raw_pg (id, organization_id, year, kind, topic, category, "
                    "validity, tsv) VALUES (%s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                    batch,
                )
            batch.clear()

        for i, doc in enumerate(corpus, start=1):
            for ordinal, (_, text) in enumerate(_parts(doc)):
                rowid = i * PARTS_PER_ENTRY + ordinal
                if backend == "sqlite":
                    facets = (
                        f"o{doc.organization_id} y{doc.year} k{doc.kind.encode().hex()} "
                        f"t{doc.topic.encode().hex()} c{doc.category.encode().hex()} "
                        f"v{doc.validity.encode().hex()}"
                    )
                    batch.append(
                        (
                            rowid,
                            token_text(doc.title),
                            token_text(doc.document_number),
                            token_text(text),
                            facets,
                        )
                    )
                else:
                    row = Row(
                        rowid, token_text(doc.title), token_text(doc.document_number),
                        token_text(text),
                        doc.organization_id, doc.year, doc.kind, doc.topic, doc.category,
                        doc.validity,
                    )  # fmt: skip
                    batch.append(
                        (
                            rowid, doc.organization_id, doc.year, doc.kind, doc.topic,
                            doc.category, doc.validity, PostgresEngine.tsvector_literal(row),
                        )
                    )  # fmt: skip
            if len(batch) >= 500:
                flush()
        flush()
        if backend == "sqlite":
            cursor.execute("INSERT INTO bench_raw_fts(bench_raw_fts) VALUES ('optimize')")
        else:
            cursor.execute("CREATE INDEX ON bench_raw_pg USING gin (tsv)")
            cursor.execute("ANALYZE bench_raw_pg")
    return time.perf_counter() - start


def sizes(backend: str) -> dict[str, int]:
    from django.db import connection

    out: dict[str, int] = {}
    if backend == "tantivy":
        from gongkai.search.tantivy_engine import TantivyEngine

        out["index (tantivy folder)"] = TantivyEngine().size_bytes()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for label, pattern in (
                ("FTS5 index", "search_fts%"),
                ("bare index", "bench_raw_fts%"),
                ("entries", "search_searchentry"),
                ("parts (raw text)", "search_searchpart"),
                ("文号 references", "search_documentnumberref%"),
                ("  their (year, number) index", "search_ref_year_number"),
            ):
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", [pattern])
                out[label] = int(cursor.fetchone()[0] or 0)
            return out
        for label, table in (
            ("index (side table + GIN)", "search_pg_row"),
            ("bare index", "bench_raw_pg"),
            ("entries", "search_searchentry"),
            ("parts (raw text)", "search_searchpart"),
            ("文号 references", "search_documentnumberref"),
        ):
            cursor.execute(  # the bare table exists only after a bare build; partitions
                "SELECT coalesce(sum(pg_total_relation_size(relid)), "
                "pg_total_relation_size(to_regclass(%s)), 0) "
                "FROM pg_partition_tree(to_regclass(%s))",
                [table, table],
            )
            out[label] = int(cursor.fetchone()[0] or 0)
        cursor.execute(
            "SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('search_pg_row_tsv')"
        )
        out["  of which GIN"] = int(cursor.fetchone()[0] or 0)
        return out


def ensure_pg_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    try:
        psycopg.connect(
            dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"]
        ).close()
    except psycopg.OperationalError:
        with psycopg.connect(
            dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"], autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def run(backend: str) -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.search import api
    from gongkai.search.analysis import parse_query, query_tail
    from gongkai.search.engines import get_engine

    if backend == "postgresql":
        ensure_pg_database()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size=-524288")  # 512 MB, as in the research runs
            cursor.execute("PRAGMA mmap_size=2147483648")
        else:
            cursor.execute("SET work_mem='64MB'")
            cursor.execute("SET jit=off")
    engine = get_engine()
    print(f"== {backend}: {DOCS:,} documents ({engine.name})", flush=True)

    corpus = Corpus(DOCS)
    t0 = time.perf_counter()
    text_bytes = sum(
        len(d.title.encode()) + len(d.body.encode()) + sum(len(c.text.encode()) for c in d.chunks)
        for d in corpus
    )
    gen = time.perf_counter() - t0
    print(f"corpus: {text_bytes / 1e6:,.0f} MB of text; generating it alone takes {gen:.1f} s")

    from gongkai.search.models import SearchEntry

    if KEEP and SearchEntry.objects.count() == DOCS:
        print(f"reusing the index kept in {KEEP} (build figures: see the run that made it)")
    else:
        t0 = time.perf_counter()
        api.rebuild(corpus)
        ours = time.perf_counter() - t0 - gen
        print(
            f"rebuild (gongkai search, entries + parts + index): {ours:,.1f} s  "
            f"({DOCS / ours:,.0f} docs/s)"
        )
        if BARE:
            bare = raw_build(corpus, backend) - gen
            print(
                f"bare engine build of the same token text:           {bare:,.1f} s  "
                f"→ ratio {ours / bare:.2f} (target ≤ 1.2)"
            )
    for label, size in sizes(backend).items():
        print(f"size {label:<28} {size / 1e6:10,.0f} MB  ({size / text_bytes:.2f}× text)")

    queries = make_queries(corpus)
    t0 = time.perf_counter()
    truth = cached_truth(corpus, queries)
    print(f"brute-force substring scan of {len(queries)} queries: {time.perf_counter() - t0:.0f} s")

    cap = 10**9
    rows: dict[tuple[str, str], dict[str, list[float]]] = {}
    recall_hits = recall_total = precision_extra = exact_queries = 0
    docno_lookup: list[float] = []
    ratios: list[tuple[float, float]] = []
    broad = 0
    for (cls, query, flt), (all_ids, filtered_ids) in zip(queries, truth, strict=True):
        phrases = parse_query(query)
        for mode, filters, expected in (("", {}, all_ids), ("+filter", flt, filtered_ids)):
            key = (cls, mode)
            bucket = rows.setdefault(key, {"search": [], "facets": [], "engine": []})
            f = api._clean_filters(filters)
            ms_search, results = timed(
                lambda q=query, fl=filters: api.search(q, filters=fl, facets=False)
            )
            ms_facets, _ = timed(lambda q=query, fl=filters: api.search(q, filters=fl))
            limit = api.broad_query_hits(engine) + 1

            tail = query_tail(phrases)

            def direct(p=phrases, fl=f, lim=limit, tail=tail):  # type: ignore[no-untyped-def]
                if tail:  # a 文号 query: the reference table is its engine
                    matches = api._document_number_matches(p, tail, fl, lim - 1)
                    if matches is not None:
                        return matches
                # The engine calls search() makes, bare: every hit scored if the query is
                # narrow (Engine.narrow: a capped count, then one scored pass, or what the
                # engine does instead), else the newest rows.
                scored = engine.narrow(p, fl, lim)
                if scored is not None:
                    return sorted(scored, key=lambda rs: -rs[1])[:20]
                return engine.newest(p, fl, 20)

            ms_engine, _ = timed(direct)
            bucket["search"].append(ms_search)
            bucket["facets"].append(ms_facets)
            bucket["engine"].append(ms_engine)
            ratios.append((ms_search, ms_engine))
            broad += not results.total_is_exact
            by_reference = api._document_number_matches(phrases, tail, f, cap) if tail else None
            if by_reference is not None:
                found = set(by_reference)
            else:
                found = {rid >> 10 for rid in engine.ids(phrases, f, cap)}
            if cls == "docno":
                found |= set(api.lookup_document_number(query, filters))
                if mode == "":
                    ms, _ = timed(lambda q=query: api.lookup_document_number(q), repeat=3)
                    docno_lookup.append(ms)
            recall_hits += len(found & expected)
            recall_total += len(expected)
            precision_extra += len(found - expected)
            exact_queries += found == expected
    runs = sum(len(b["search"]) for b in rows.values())
    print(
        f"recall {recall_hits}/{recall_total} = {recall_hits / max(1, recall_total):.4f}; "
        f"extra (not in the scan) {precision_extra}; exact result sets {exact_queries}/{runs}; "
        f"broad (guarded) runs {broad}/{runs}"
    )
    print(
        f"{'class':<16}{'search() p50/p95/max ms':>28}{'+facets p50/p95':>20}{'engine p50/p95/max':>26}"
    )
    everything: dict[str, list[float]] = {"search": [], "facets": [], "engine": []}
    for (cls, mode), b in rows.items():
        for name in everything:
            everything[name] += b[name]
        print(
            f"{cls + mode:<16}"
            f"{pct(b['search'], 0.5):>10.1f}{pct(b['search'], 0.95):>8.1f}{max(b['search']):>9.1f}"
            f"{pct(b['facets'], 0.5):>12.1f}{pct(b['facets'], 0.95):>8.1f}"
            f"{pct(b['engine'], 0.5):>10.1f}{pct(b['engine'], 0.95):>8.1f}{max(b['engine']):>8.1f}"
        )
    s, e, fc = everything["search"], everything["engine"], everything["facets"]
    print(
        f"{'all':<16}{pct(s, 0.5):>10.1f}{pct(s, 0.95):>8.1f}{max(s):>9.1f}"
        f"{pct(fc, 0.5):>12.1f}{pct(fc, 0.95):>8.1f}"
        f"{pct(e, 0.5):>10.1f}{pct(e, 0.95):>8.1f}{max(e):>8.1f}"
    )
    print(
        f"search() / engine: total time {sum(s) / sum(e):.2f}×, median of per-query ratios "
        f"{statistics.median(a / b for a, b in ratios):.2f}× (target ≤ 1.5)"
    )
    print(
        f"文号 key lookup: p50 {pct(docno_lookup, 0.5):.2f} / p95 {pct(docno_lookup, 0.95):.2f} / "
        f"max {max(docno_lookup):.2f} ms (target ≤ 10)"
    )


if __name__ == "__main__":
    main()
