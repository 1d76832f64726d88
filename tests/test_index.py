import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qabot.index import open_index, scan
from qabot.index.format import load
from qabot.index.opening import index_problem
from qabot.index.format import MANIFEST, PASSAGE_DTYPE, SENTENCE_DTYPE
from qabot.qa import QA
from qabot.question import analyze
from qabot.settings import load_settings

from conftest import SEEDS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def _settings(corpus: Path, tmp_path: Path, **extra):
    return load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx", **extra)


def test_index_is_reused_when_nothing_changed(corpus: Path, tmp_path: Path, caplog) -> None:
    settings = _settings(corpus, tmp_path)
    _, built = open_index(settings)
    assert built
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert not built and not caplog.records
    assert len(index.articles) == 5


def test_saved_index_cannot_run_code_when_loaded(corpus: Path, tmp_path: Path) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    folder = tmp_path / "idx"
    manifest = json.loads((folder / MANIFEST).read_text())
    g = manifest["generation"]
    records = [json.loads(line) for line in (folder / f"articles.{g}.jsonl").read_text().splitlines()]
    assert {r["doc_id"] for r in records} == {p.stem for p in SEEDS.glob("*.txt")}
    for name, dtype in ((f"passages.{g}.bin", PASSAGE_DTYPE), (f"sentences.{g}.bin", SENTENCE_DTYPE)):
        array = np.fromfile(folder / name, dtype=dtype)
        assert dtype.hasobject is False and len(array) * dtype.itemsize == manifest["files"][name]
    assert {p.suffix for p in folder.iterdir()} <= {".json", ".jsonl", ".bin", ".txt", ""}
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") or ".tmp." in p.name]


def _one_warning(caplog) -> str:
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    return warnings[0]


def test_added_changed_and_removed_articles_update_the_index(corpus: Path, tmp_path: Path, caplog) -> None:
    settings = _settings(corpus, tmp_path)
    first, _ = open_index(settings)
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday.\n")
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and "005_new" in index.articles
    assert "updating" in _one_warning(caplog)
    assert index.passage_count == first.passage_count + 1
    qa = QA(settings, index)
    assert "Kito" in qa.ask("What was the baby giraffe at the zoo named?").quotes[0].text

    (corpus / "005_new.txt").write_text("A New Story\nThe aquarium welcomed a seal named Pip on Friday.\n")
    (corpus / "000_5b07aaa5b5e44678.txt").unlink()
    index, built = open_index(settings)
    assert built and "000_5b07aaa5b5e44678" not in index.articles
    qa = QA(settings, index)
    assert "Pip" in qa.ask("What was the seal at the aquarium named?").quotes[0].text
    served = qa.ask("What was the baby giraffe at the zoo named?")
    assert not [q for q in served.quotes if "giraffe" in q.text or "Kito" in q.text]
    assert not [q for q in qa.ask("What did Mayor Johnson move to clarify?").quotes if q.doc_id == "000_5b07aaa5b5e44678"]
    for pid in index.passage_ids():
        passage = index.passage(pid)
        for s in passage.sentences:
            assert index.text_of(passage.doc_id, s.start, s.end).strip()
    _, built = open_index(settings)
    assert not built


def test_adding_an_article_in_a_new_process_needs_no_nltk(corpus: Path, tmp_path: Path) -> None:
    """Only training Punkt needs NLTK, whose import costs seconds: an update splits with the
    parameters the index stored."""
    open_index(_settings(corpus, tmp_path))
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday. Dr. Ruiz was there.\n")
    code = (
        "import sys; from pathlib import Path; from qabot.index import open_index; from qabot.settings import load_settings\n"
        f"index, built = open_index(load_settings(corpus_dir=Path({str(corpus)!r}), index_dir=Path({str(tmp_path / 'idx')!r})))\n"
        "assert built and '005_new' in index.articles\n"
        "print(sorted(m for m in sys.modules if m == 'nltk' or m.startswith('nltk.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_changed_setting_triggers_rebuild(corpus: Path, tmp_path: Path, caplog) -> None:
    open_index(_settings(corpus, tmp_path))
    with caplog.at_level(logging.WARNING):
        _, built = open_index(_settings(corpus, tmp_path, passage_size=60))
    assert built
    assert "settings" in _one_warning(caplog)


def _data_file(folder: Path, prefix: str) -> Path:
    return next(p for p in folder.iterdir() if p.name.startswith(prefix + "."))


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: (f / MANIFEST).write_bytes(b"not json at all"),
        lambda f: (f / MANIFEST).write_text('{"format_version": 2}'),
        lambda f: (f / MANIFEST).write_text('{"format_version": 999}'),
        lambda f: _data_file(f, "passages").write_bytes(_data_file(f, "passages").read_bytes()[:-40]),
        lambda f: _data_file(f, "sentences").unlink(),
        lambda f: _data_file(f, "articles").write_text("[{]"),
        lambda f: _data_file(f, "terms").write_text("only one line\n"),
    ],
    ids=["garbage-manifest", "incomplete-manifest", "other-version", "truncated-array", "missing-array",
         "broken-articles", "short-terms"],
)
def test_damaged_or_foreign_index_is_rebuilt(corpus: Path, tmp_path: Path, caplog, damage) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    damage(tmp_path / "idx")
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and index.passage_count > 10
    assert "rebuilding" in _one_warning(caplog)
    _, built_again = open_index(settings)
    assert not built_again


def _touched(path: Path) -> int:
    """Move a file's time an hour on, its bytes untouched (as a copy or a checkout does)."""
    later = path.stat().st_mtime_ns + 3_600 * 10**9
    os.utime(path, ns=(later, later))
    return later


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The files opening hashes to learn whether they changed."""
    seen: list[str] = []
    real = scan.file_sha256
    monkeypatch.setattr(scan, "file_sha256", lambda path: seen.append(path) or real(path))
    return seen


def test_files_whose_time_alone_moved_are_hashed_once_then_known_by_their_new_time(
    corpus: Path, tmp_path: Path, caplog, hashed: list[str]
) -> None:
    """Their new times are committed, so later openings and health checks (every 30 s in the
    container) do not hash them again, and nothing is indexed anew."""
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    earlier = load(settings.index_dir)
    touched = sorted(corpus.glob("*.txt"))[:2]
    times = {path.stem: _touched(path) for path in touched}
    with caplog.at_level(logging.INFO):
        index, built = open_index(settings)
    assert not built and sorted(hashed) == [str(path) for path in touched]
    assert not [r for r in caplog.records if r.name.startswith("qabot")]
    assert {r.doc_id: r.mtime_ns for r in index.records if r.doc_id in times} == times
    hashed.clear()
    again, built = open_index(settings)
    assert not built and index_problem(settings) is None and not hashed
    assert again.records == load(settings.index_dir, earlier).records == index.records
    assert not {r.mtime_ns for r in earlier.records} & set(times.values()), "an earlier state's records were changed"
    assert "Abigail Jackson" in QA(settings, again).ask("Who is the White House spokeswoman?").quotes[0].text


def test_an_update_also_records_the_new_times_of_unchanged_files(corpus: Path, tmp_path: Path, hashed: list[str]) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    first = sorted(corpus.glob("*.txt"))[0]
    later = _touched(first)
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday.\n")
    index, built = open_index(settings)
    assert built and hashed == [str(first)]
    assert next(r.mtime_ns for r in index.records if r.doc_id == first.stem) == later
    hashed.clear()
    assert index_problem(settings) is None and not hashed


def test_an_index_that_cannot_record_new_times_is_served_as_it_is(
    corpus: Path, tmp_path: Path, monkeypatch, caplog
) -> None:
    """A read-only index folder: the file is hashed at each opening, as before, not re-indexed."""
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    path = sorted(corpus.glob("*.txt"))[0]
    _touched(path)

    def read_only(*_args) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr("qabot.index.build.redate", read_only)
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert not built and index.passage_count > 10 and not caplog.records
    assert "Abigail Jackson" in QA(settings, index).ask("Who is the White House spokeswoman?").quotes[0].text


def test_a_damaged_times_file_means_a_rebuild(corpus: Path, tmp_path: Path, caplog) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    _touched(sorted(corpus.glob("*.txt"))[0])
    open_index(settings)
    times = _data_file(tmp_path / "idx", "times")
    times.write_bytes(b"x" * times.stat().st_size)
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and index.passage_count > 10 and "rebuilding" in _one_warning(caplog)


def test_unwritable_index_dir_still_answers(corpus: Path, tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings = load_settings(corpus_dir=corpus, index_dir=blocker / "idx")
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and index.passage_count
    assert "could not save" in caplog.text


def test_passages_are_read_from_their_byte_range_alone(corpus: Path, tmp_path: Path) -> None:
    """Answering reads a passage's bytes only; its sentences must equal slices of the whole text,
    in ASCII, in multi-byte UTF-8 and in a file with undecodable bytes (read whole instead)."""
    (corpus / "zz_accents.txt").write_text(
        "Café “crème” report\n\nThe café in Zürich served crème brûlée. Prices rose 5€ — a record.\n\n"
        "A second paragraph names Ångström and 東京. It ends here.\n",
        encoding="utf-8",
    )
    (corpus / "zz_broken.txt").write_bytes(
        b"Broken bytes\n\nThe first sentence is fine. Then \xff\xfe comes garbage.\n\nLater text follows here.\n"
    )
    index, _ = open_index(_settings(corpus, tmp_path))
    checked = set()
    for pid in index.passage_ids():
        passage = index.passage(pid)
        read = index.sentence_texts(pid, passage)
        whole = index.article_text(passage.doc_id)
        index._texts.clear()
        assert read == [whole[s.start : s.end] for s in passage.sentences]
        checked.add(passage.doc_id)
    assert {"zz_accents", "zz_broken"} <= checked


def test_worker_processes_build_the_same_index_as_one_process(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """Large builds read articles in worker processes, in parts numbered from zero and shifted into
    place: the result must be the very index a single process builds."""
    import qabot.index.build as index_module

    serial, _ = open_index(_settings(corpus, tmp_path / "one", index_workers=1), rebuild=True)
    monkeypatch.setattr(index_module, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(index_module, "PART_BYTES", 1)
    parallel, _ = open_index(_settings(corpus, tmp_path / "two", index_workers=2), rebuild=True)
    assert [r.model_dump(exclude={"source"}) for r in serial.records] == [
        r.model_dump(exclude={"source"}) for r in parallel.records
    ]
    assert list(serial.passage_ids()) == list(parallel.passage_ids())
    for pid in serial.passage_ids():
        assert serial.passage(pid) == parallel.passage(pid)
        assert serial.sentence_texts(pid, serial.passage(pid)) == parallel.sentence_texts(pid, parallel.passage(pid))
    question = list(analyze("Who signed the executive order on Chicago police?").terms)
    assert serial.engine.search(question, 5) == parallel.engine.search(question, 5) != []


def test_auto_engine_chosen_mid_stream_indexes_every_passage(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """A build hands parts to the engine as they are indexed; with engine=auto the first parts are
    read ahead until the corpus is known to be large, and none of them may be lost."""
    import qabot.index.build as index_module

    expected, _ = open_index(_settings(corpus, tmp_path / "one", engine="tantivy"), rebuild=True)
    monkeypatch.setattr(index_module, "PART_BYTES", 1)
    streamed, _ = open_index(_settings(corpus, tmp_path / "two", small_corpus_passages=3), rebuild=True)
    assert streamed.manifest.engine == "tantivy"
    assert streamed.engine.passage_count == streamed.passage_count == expected.passage_count
    for question in ("Who signed the executive order on Chicago police?", "What did the lawsuit claim?"):
        terms = list(analyze(question).terms)
        assert streamed.engine.search(terms, 10) == expected.engine.search(terms, 10) != []


def test_parts_are_handed_out_a_few_at_a_time() -> None:
    """Workers run at most `ahead` parts past the one the build is taking: finished parts must not
    pile up in memory while the engine is slower than the workers."""
    from concurrent.futures import Future

    from qabot.index.build import _bounded_map

    class CountingPool:
        submitted = 0

        def submit(self, work, *args):
            self.submitted += 1
            done: Future = Future()
            done.set_result(work(*args))
            return done

    pool = CountingPool()
    taken = []
    for part in _bounded_map(pool, lambda n: n * 10, iter([(n,) for n in range(10)]), ahead=3):  # type: ignore[arg-type]
        taken.append(part)
        assert pool.submitted <= len(taken) + 3
    assert taken == [n * 10 for n in range(10)] and pool.submitted == 10


def test_reading_on_from_an_earlier_state_equals_reading_anew(corpus: Path, tmp_path: Path) -> None:
    from qabot.index.format import load

    settings = _settings(corpus, tmp_path)
    open_index(settings)
    earlier = load(settings.index_dir)
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday.\n")
    open_index(settings)
    anew, on = load(settings.index_dir), load(settings.index_dir, earlier)
    assert on.records == anew.records and on.strings == anew.strings and on.records[-1].doc_id == "005_new"
    assert len(on.records) == len(earlier.records) + 1


def test_opening_leaves_the_cycle_collector_as_it_found_it(corpus: Path, tmp_path: Path) -> None:
    import gc

    settings = _settings(corpus, tmp_path)
    assert gc.isenabled()
    open_index(settings)
    assert gc.isenabled()
    gc.disable()
    try:
        open_index(settings)
        assert not gc.isenabled()
    finally:
        gc.enable()
