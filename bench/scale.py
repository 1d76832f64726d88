"""Speed and scale: qabot against rank-bm25, bm25s and raw tantivy, from 10k to 1M passages.

    python bench/scale.py                          # 10k and 100k passages; writes bench/RESULTS.md and bench/latency.png
    python bench/scale.py --sizes 1000 3000 10000 100000 1000000
    python bench/scale.py --smoke                  # a tiny run that checks everything works (CI)

The corpus is deterministic (seeded): the SQuAD v1.1 dev paragraphs plus synthetic English-like
passages of 80-120 words (real head words by SQuAD frequency, a Zipf tail of made-up words, words
repeating inside a passage), written as article files qabot loads. Queries are SQuAD questions
whose paragraph every corpus measured holds. Every engine gets the same tokens (qabot's own);
each engine and size runs in a process of its own so that its peak RSS is its own; qabot's
queries run last, in rounds over every size, so that a slow stretch of the machine does not
bend the curve. qabot answers by words alone here, installed extras or not: the sentence
encoder's costs are measured by bench/bundled.py. Needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from results import write_section  # noqa: E402

DATA = REPO.parent / "shared" / "bench"
SMOKE_DATA = REPO / "tests" / "data"
PLOT = REPO / "bench" / "latency.png"
REFERENCES = ("rank-bm25", "bm25s", "tantivy")
ENGINES = ("qabot", *REFERENCES)
ROUNDS = 3
PASSAGES_PER_ARTICLE = 50
HEAD_WORDS = 5000
TAIL_WORDS = 200_000
WARM_QUERIES = 100


# ----------------------------------------------------------------------------- the corpus

def _squad(data: Path, smoke: bool) -> tuple[list[str], list[tuple[str, int]]]:
    """SQuAD's paragraphs, in order, and its questions, each with its paragraph's place in that order."""
    names = ("squad_paragraphs_subset.jsonl.gz", "squad_questions_subset.jsonl.gz") if smoke else (
        "squad_dev_paragraphs.jsonl.gz", "squad_dev_questions.jsonl.gz")
    with gzip.open(data / names[0], "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    at = {row["pid"]: k for k, row in enumerate(rows)}
    with gzip.open(data / names[1], "rt", encoding="utf-8") as handle:
        questions = [(row["question"], at[row["pid"]]) for row in map(json.loads, handle)]
    return [row["text"] for row in rows], questions


def _made_up_words(count: int, rng: np.random.Generator) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ou", "ai")]
    picks = rng.integers(0, len(syllables), size=(count, 3))
    lengths = rng.integers(2, 4, size=count)
    return [("".join(syllables[s] for s in row[:n])) + "x" for row, n in zip(picks, lengths)]


def generate_corpus(size: int, folder: Path, paragraphs: list[str], seed: int = 7) -> int:
    """Writes `size` passages (SQuAD paragraphs first, synthetic after) as article files."""
    rng = np.random.default_rng(seed)
    counts = Counter(w for p in paragraphs for w in re.findall(r"[a-z]+", p.lower()))
    head = [w for w, _ in counts.most_common(HEAD_WORDS)]
    head_p = np.array([counts[w] for w in head], dtype=float)
    head_p /= head_p.sum()
    tail = _made_up_words(TAIL_WORDS, rng)
    tail_p = 1.0 / np.arange(1, TAIL_WORDS + 1) ** 1.1
    tail_p /= tail_p.sum()
    folder.mkdir(parents=True, exist_ok=True)
    texts = list(paragraphs[:size])
    article = 0

    def flush(batch: list[str]) -> None:
        nonlocal article
        body = "\n\n".join(batch)
        (folder / f"a{article:06d}.txt").write_text(f"Synthetic article {article}\n\n{body}\n", encoding="utf-8")
        article += 1

    for start in range(0, len(texts), PASSAGES_PER_ARTICLE):
        flush(texts[start : start + PASSAGES_PER_ARTICLE])
    remaining = size - len(texts)
    head_cdf, tail_cdf = np.cumsum(head_p), np.cumsum(tail_p)
    batch: list[str] = []
    chunk = 20_000
    for done in range(0, remaining, chunk):
        count = min(chunk, remaining - done)
        lengths = rng.integers(80, 121, size=count)
        total = int(lengths.sum())
        def draw_head(shape: int | tuple[int, int]) -> np.ndarray:
            return np.minimum(np.searchsorted(head_cdf, rng.random(shape)), len(head) - 1)

        def draw_tail(shape: int | tuple[int, int]) -> np.ndarray:
            return len(head) + np.minimum(np.searchsorted(tail_cdf, rng.random(shape)), TAIL_WORDS - 1)

        general = np.where(rng.random(total) < 0.8, draw_head(total), draw_tail(total))
        topic = np.concatenate([draw_head((count, 6)), draw_tail((count, 3))], axis=1)
        owner = np.repeat(np.arange(count), lengths)
        repeat = rng.random(total) < 0.25
        general[repeat] = topic[owner[repeat], rng.integers(0, 9, size=int(repeat.sum()))]
        vocabulary = head + tail
        position = 0
        for n in lengths:
            words = [vocabulary[i] for i in general[position : position + n]]
            position += n
            cuts = list(range(int(rng.integers(8, 16)), int(n) - 4, int(rng.integers(10, 20)))) + [int(n)]
            sentences, last = [], 0
            for cut in cuts:
                sentences.append(" ".join(words[last:cut]).capitalize() + ".")
                last = cut
            batch.append(" ".join(sentences))
            if len(batch) == PASSAGES_PER_ARTICLE:
                flush(batch)
                batch = []
    if batch:
        flush(batch)
    return article


# ----------------------------------------------------------------------------- measuring

def _peak_rss_mib() -> float:
    """This process's peak RSS since it started (VmHWM: unlike getrusage's ru_maxrss, which Linux
    carries over from the forking parent, it starts afresh at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _times(run: Callable[[list[str]], object], queries: list[list[str]], warm: list[list[str]]) -> list[float]:
    """Per-query latency in ms after the `warm` queries (others than those timed) have run: a
    serving process has loaded its models and met most words' stems already."""
    for query in warm:
        run(query)
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"median_ms": statistics.median(ordered), "p95_ms": pick(0.95), "p99_ms": pick(0.99)}


def worker(engine: str, corpus: Path, work: Path, queries_file: Path) -> dict:
    """One engine on one corpus, in this process; prints a JSON line of figures."""
    queries = json.loads(queries_file.read_text())
    questions, warm = queries["measured"], queries["warm"]
    figures: dict = {"engine": engine}
    if engine == "qabot-build":
        from qabot.index import open_index
        from qabot.settings import load_settings

        settings = load_settings(corpus_dir=corpus, index_dir=work / "qabot-index", semantic=False)
        started = time.perf_counter()
        open_index(settings, rebuild=True)
        figures["build_s"] = time.perf_counter() - started
        figures["build_peak_rss_mib"] = _peak_rss_mib()
        figures["build_worker_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        extra = corpus / "zz_added.txt"
        extra.write_text("An Added Article\n\n" + ("The harbour council met on Monday to plan the dredging. " * 40) + "\n")
        added = subprocess.run(
            [sys.executable, __file__, "--worker", "qabot-add", str(corpus), str(work), str(queries_file)],
            capture_output=True, text=True, check=True,
        )
        figures["add_article_s"] = json.loads(added.stdout.strip().splitlines()[-1])["add_article_s"]
        extra.unlink()
        open_index(settings)
        return figures
    if engine == "qabot-add":
        from qabot.index import open_index
        from qabot.settings import load_settings

        settings = load_settings(corpus_dir=corpus, index_dir=work / "qabot-index", semantic=False)
        started = time.perf_counter()
        open_index(settings)
        figures["add_article_s"] = time.perf_counter() - started
        return figures

    from qabot.question import analyze

    parsed, warm_parsed = ([list(analyze(q).terms) for q in group] for group in (questions, warm))
    if engine == "qabot":
        from qabot.qa import QA
        from qabot.settings import load_settings

        settings = load_settings(corpus_dir=corpus, index_dir=work / "qabot-index", semantic=False)
        started = time.perf_counter()
        qa = QA.open(settings)
        figures["load_s"] = time.perf_counter() - started
        figures["engine_used"] = qa.index.manifest.engine
        figures["retrieval_ms"] = _times(lambda terms: qa.index.engine.search(terms, 10), parsed, warm_parsed)
        figures["answer_ms"] = _times(lambda q: qa.ask(" ".join(q)), [[q] for q in questions], [[q] for q in warm])
        figures["peak_rss_mib"] = _peak_rss_mib()
        return figures

    tokens = [line.split() for line in (work / "tokens.txt").read_text(encoding="utf-8").splitlines()]
    started = time.perf_counter()
    search: Callable[[list[str]], object]
    if engine == "rank-bm25":
        from rank_bm25 import BM25Okapi

        bm25 = BM25Okapi(tokens)
        search = lambda terms: np.argpartition(-bm25.get_scores(terms), 10)[:10]  # noqa: E731
    elif engine == "bm25s":
        import bm25s

        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        search = lambda terms: retriever.retrieve([terms or ["_"]], k=10, show_progress=False)  # noqa: E731
    else:
        import tantivy

        from qabot.engines.tantivy import tantivy_schema

        index = tantivy.Index(tantivy_schema(), path=str(_fresh(work / "tantivy")))
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        for pid, words in enumerate(tokens):
            doc = tantivy.Document()
            doc.add_text("terms", " ".join(words))
            doc.add_unsigned("pid", pid)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        searcher = index.searcher()
        schema = index.schema

        def search(terms: list[str]) -> object:
            clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "terms", t)) for t in dict.fromkeys(terms)]
            return searcher.search(tantivy.Query.boolean_query(clauses), 10).hits

    figures["build_s"] = time.perf_counter() - started
    del tokens
    figures["retrieval"] = _summary(_times(search, parsed, warm_parsed))
    figures["peak_rss_mib"] = _peak_rss_mib()
    return figures


def _fresh(path: Path) -> Path:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def measure_size(size: int, paragraphs: list[str], questions: list[str], queries: int, root: Path) -> tuple[dict, Workspace]:
    """Builds and measures qabot's index and the reference engines at one size; qabot's answers are
    measured later, in rounds across every size (`measure_qabot`)."""
    corpus = root / f"corpus-{size}"
    started = time.perf_counter()
    articles = generate_corpus(size, corpus, paragraphs)
    generated = time.perf_counter() - started

    from qabot.corpus import parse_article
    from qabot.passages import indexed_passages
    from qabot.settings import load_settings
    from qabot.text import SentenceSplitter

    settings = load_settings()
    started = time.perf_counter()
    lines = []
    splitter = SentenceSplitter()
    for path in sorted(corpus.glob("*.txt")):
        article = parse_article(path.stem, str(path), path.read_text(encoding="utf-8"))
        for _passage, passage_terms in indexed_passages(article, splitter, settings.passage_size, settings.passage_overlap):
            lines.append(" ".join(passage_terms))
    tokenise_s = time.perf_counter() - started
    (root / "tokens.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    passages = len(lines)
    del lines  # a gigabyte at 1M passages: the kernel's reclaim scanned it during measurements
    gc.collect()
    rng = np.random.default_rng(11)
    picked_at = [int(i) for i in rng.choice(len(questions), size=min(queries, len(questions)), replace=False)]
    picked = [questions[i] for i in picked_at]
    queries_file = root / "queries.json"
    rest = sorted(set(range(len(questions))) - set(picked_at))
    warm = [questions[rest[int(i)]] for i in np.random.default_rng(12).choice(len(rest), size=min(WARM_QUERIES, len(rest)), replace=False)]
    queries_file.write_text(json.dumps({"measured": picked, "warm": warm}))
    result: dict[str, Any] = {"size": size, "passages": passages, "articles": articles, "generate_s": generated,
              "tokenise_s": tokenise_s, "engines": {"qabot": {}}}
    for engine in REFERENCES:
        result["engines"][engine] = _run_worker(engine, size, corpus, root, queries_file)
    # qabot builds after the references, so that their gigabytes at a million passages cannot have
    # pushed its index files out of the page cache before its answers are timed (a serving process
    # finds them there). In the one run where the references came between, a million passages'
    # answers took 7.1 ms against 4.3 in the run before, while the smaller sizes slowed by a fifth.
    build = _run_worker("qabot-build", size, corpus, root, queries_file)
    result["engines"]["qabot"].update({k: v for k, v in build.items() if k != "engine"})
    return result, Workspace(size, corpus, root, picked, warm)


@dataclass(frozen=True)
class Workspace:
    """Where one size's corpus and index stand, and the questions asked of it."""

    size: int
    corpus: Path
    root: Path
    measured: list[str]
    warm: list[str]


def _run_worker(engine: str, size: int, corpus: Path, root: Path, queries_file: Path) -> dict:
    os.sync()  # the corpus and token files just written must not be flushed during a measurement
    done = subprocess.run(
        [sys.executable, __file__, "--worker", engine, str(corpus), str(root), str(queries_file)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{engine} at {size} passages failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    shown = {k: v for k, v in figures.items() if not k.endswith("_ms")}
    print(f"  {size:>9} {engine:<11} {json.dumps(shown)}", flush=True)
    return figures


def measure_qabot(results: list[dict], spaces: list[Workspace], rounds: int) -> None:
    """qabot's answers at every size, in `rounds` rounds that visit every size (each time in a
    fresh process, the sizes' order turned by one each round), so that the machine's drift over a
    long run falls on every size alike instead of on whichever was measured in a slow stretch."""
    runs: list[list[dict]] = [[] for _ in spaces]
    for turn in range(rounds):
        for k in [(turn + step) % len(spaces) for step in range(len(spaces))]:
            space = spaces[k]
            queries_file = space.root / "queries-round.json"
            queries_file.write_text(json.dumps({"measured": space.measured[turn::rounds], "warm": space.warm}))
            runs[k].append(_run_worker("qabot", space.size, space.corpus, space.root, queries_file))
    for result, figures in zip(results, runs):
        result["engines"]["qabot"].update(
            engine_used=figures[0]["engine_used"],
            load_s=statistics.median(f["load_s"] for f in figures),
            retrieval=_summary([t for f in figures for t in f["retrieval_ms"]]),
            answer=_summary([t for f in figures for t in f["answer_ms"]]),
            peak_rss_mib=max(f["peak_rss_mib"] for f in figures),
        )


# ----------------------------------------------------------------------------- reporting

def _versions() -> str:
    from importlib.metadata import version

    names = ("rank-bm25", "bm25s", "tantivy", "numpy", "nltk")
    return ", ".join(f"{n} {version(n)}" for n in names) + f", Python {platform.python_version()}"


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.system()} {platform.release()}"


def report(results: list[dict], command: str) -> str:
    lines = [
        "## Speed and scale", "",
        f"`{command}` on {_machine()}; {_versions()}.",
        "One query at a time, top-10, the same tokens for every engine (qabot's own); SQuAD v1.1 dev",
        "questions as queries, only those whose paragraph every corpus measured holds, timed after",
        f"{WARM_QUERIES} other questions have run in the same process (a serving process has loaded its",
        "models and met most words already); corpus = SQuAD dev paragraphs (the first ones, at sizes",
        "below SQuAD's 2,067) plus synthetic English-like passages. qabot's queries are asked in",
        f"{ROUNDS} rounds, each visiting every size in a fresh process (a third of the questions each),",
        "so that the machine's drift during a long run falls on every size alike.",
        "Build excludes tokenising for the reference engines (their tokens are given); qabot's build is",
        "`qabot index` from the article files, tokenising included. Peak RSS is per process.", "",
        "| passages | engine | build s | load s | retrieval median / p95 / p99 ms | whole answer median / p95 / p99 ms | peak RSS MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, f in result["engines"].items():
            label = f"qabot ({f['engine_used']})" if name == "qabot" else name
            r = f["retrieval"]
            a = f.get("answer")
            answer = f"{a['median_ms']:.2f} / {a['p95_ms']:.2f} / {a['p99_ms']:.2f}" if a else "—"
            load = f"{f['load_s']:.2f}" if "load_s" in f else "—"
            lines.append(
                f"| {result['passages']:,} | {label} | {f['build_s']:.1f} | {load} | "
                f"{r['median_ms']:.2f} / {r['p95_ms']:.2f} / {r['p99_ms']:.2f} | {answer} | {f['peak_rss_mib']:.0f} |"
            )
    lines.append("")
    workers = [
        f"{r['engines']['qabot']['build_worker_peak_rss_mib']:.0f} MiB at {r['passages']:,}"
        for r in results if r["engines"]["qabot"]["build_worker_peak_rss_mib"]
    ]
    lines.append("qabot's peak RSS is while answering (a fresh process: load, then queries); while building: " + ", ".join(
        f"{r['engines']['qabot']['build_peak_rss_mib']:.0f} MiB at {r['passages']:,}" for r in results)
        + ("; each index worker process (two on builds of 8 MB or more) at most: " + ", ".join(workers) if workers else "")
        + ".")
    lines.append("Adding one article to qabot's index (incremental update, in a process that did not build it: opening "
                 "the index, scanning the corpus and adding): " + ", ".join(
        f"{r['engines']['qabot']['add_article_s']:.2f} s at {r['passages']:,}" for r in results) + ".")
    lines.append("Tokenising (parse, sentences, terms) for the references: " + ", ".join(
        f"{r['tokenise_s']:.1f} s at {r['passages']:,}" for r in results) + ".")
    lines += [
        "", "qabot's whole answer against each reference engine's retrieval alone, medians from the same run:", "",
        "| passages | qabot whole answer ms | rank-bm25 ms (its time over qabot's) | bm25s ms | tantivy ms |", "|---|---|---|---|---|",
    ]
    for result in results:
        engines = result["engines"]
        whole = engines["qabot"]["answer"]["median_ms"]
        rank = engines["rank-bm25"]["retrieval"]["median_ms"]
        lines.append(
            f"| {result['passages']:,} | {whole:.2f} | {rank:.2f} ({rank / whole:.1f}x) | "
            f"{engines['bm25s']['retrieval']['median_ms']:.2f} | {engines['tantivy']['retrieval']['median_ms']:.2f} |"
        )
    lines += ["", "![median latency against corpus size](latency.png)"]
    return "\n".join(lines)


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    sizes = [r["passages"] for r in results]
    for engine in ENGINES:
        ax.plot(sizes, [r["engines"][engine]["retrieval"]["median_ms"] for r in results], marker="o", label=f"{engine} retrieval")
    ax.plot(sizes, [r["engines"]["qabot"]["answer"]["median_ms"] for r in results], marker="s", linestyle="--", label="qabot whole answer")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("passages")
    ax.set_ylabel("median latency (ms)")
    ax.set_title("Query latency against corpus size (top-10, one query at a time)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        engine, corpus, workspace, queries = sys.argv[2:6]
        print(json.dumps(worker(engine, Path(corpus), Path(workspace), Path(queries))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--smoke", action="store_true", help="3,000 passages, 30 queries, nothing written")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.queries, args.data = [3_000], 30, SMOKE_DATA
    paragraphs, asked = _squad(args.data, args.smoke)
    # Only questions whose paragraph every corpus measured holds (a corpus starts with SQuAD's
    # first paragraphs): a question whose paragraph is missing spreads its passages' scores, so
    # more of them are read, and the smallest corpus, lacking half of SQuAD's paragraphs, cost more
    # per answer than the next size up (5.3 passages read against 4.1 at 4,116 passages).
    questions = [question for question, paragraph in asked if paragraph < min(args.sizes)]
    results, spaces = [], []
    with tempfile.TemporaryDirectory(prefix="qabot-scale-") as folder:
        for size in args.sizes:
            work = Path(folder) / str(size)
            work.mkdir()
            result, space = measure_size(size, paragraphs, questions, args.queries, work)
            results.append(result)
            spaces.append(space)
        measure_qabot(results, spaces, ROUNDS)
    if not args.smoke:
        command = "python bench/scale.py --sizes " + " ".join(str(s) for s in args.sizes)
        write_section("scale", report(results, command))
        plot(results, PLOT)
    print(report(results, "python bench/scale.py"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
