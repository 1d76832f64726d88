"""Reading against a fake index: the reader asks only for what `PassageSource` names."""

from dataclasses import dataclass, field

from qabot.corpus import ArticleInfo
from qabot.engines import Hit
from qabot.engines.base import lucene_idf
from qabot.passages import Passage, Sentence
from qabot.question import analyze
from qabot.reader import Reader
from qabot.text import terms

TEXT = (
    "The mayor signed the order on Saturday. It tells police to document federal agents. "
    "Critics said the order would not hold up. The weather was mild."
)


@dataclass
class FakeSource:
    """Two passages of one article: the first three sentences, and the last one."""

    text: str = TEXT
    asked: list[str] = field(default_factory=list)

    def _spans(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for part in self.text.split(". "):
            end = start + len(part) + (0 if part.endswith(".") else 1)
            spans.append((start, end))
            start = end + 1
        return spans

    def passage(self, pid: int) -> Passage:
        self.asked.append(f"passage {pid}")
        spans = self._spans()
        chosen = spans[:3] if pid == 0 else spans[3:]
        return Passage("doc", "", "", tuple(Sentence(a, b, 1 + i, "paragraph") for i, (a, b) in enumerate(chosen)))

    def sentence_texts(self, pid: int, passage: Passage) -> list[str]:
        return [self.text[s.start : s.end] for s in passage.sentences]

    def article(self, doc_id: str) -> ArticleInfo:
        return ArticleInfo(doc_id, "doc.txt", "City Hall news")

    def doc_freq(self, term: str) -> int:
        return sum(term in terms(self.text[a:b]) for a, b in self._spans())

    def idf(self, doc_freq: int) -> float:
        return lucene_idf(4, max(doc_freq, 1))


def test_every_sentence_of_the_hits_becomes_a_candidate_once() -> None:
    source = FakeSource()
    found = Reader(source).read(analyze("When did the mayor sign the order?"), [Hit(0, 2.0), Hit(1, 1.0), Hit(0, 0.5)])
    assert [c.text for c in found] == [TEXT[a:b] for a, b in source._spans()]
    assert {c.passage for c in found} == {0, 1}
    assert all(c.score == 0.0 for c in found)


def test_the_answering_sentence_has_the_strongest_evidence() -> None:
    found = Reader(FakeSource()).read(analyze("When did the mayor sign the order?"), [Hit(0, 2.0), Hit(1, 1.0)])
    signed, weather = found[0].evidence, found[3].evidence
    assert signed.sentence > weather.sentence and signed.type == 1.0
    assert signed.confidence > found[2].evidence.confidence > weather.confidence
    assert signed.passage == 1.0 and weather.passage == 0.5
    assert found[1].evidence.previous == signed.sentence


def test_a_missing_date_costs_a_when_question_most_of_its_coverage() -> None:
    found = Reader(FakeSource()).read(analyze("When did critics say the order would not hold up?"), [Hit(0, 1.0)])
    critics = next(c for c in found if c.text.startswith("Critics"))
    assert critics.evidence.held > 0.7 and critics.evidence.type == 0.0
    assert critics.coverage < 0.35


def test_nothing_to_read_gives_no_candidates() -> None:
    source = FakeSource()
    assert Reader(source).read(analyze("When did the mayor sign?"), []) == []
    assert Reader(source).read(analyze("the of and"), [Hit(0, 1.0)]) == []
    assert source.asked == []


def test_a_verb_of_the_question_no_sentence_around_holds_is_counted_missing() -> None:
    """The event asked about is evidence a sentence can lack while holding every name and noun."""
    signed = Reader(FakeSource()).read(analyze("When did the mayor sign the order?"), [Hit(0, 1.0)])[0]
    vetoed = Reader(FakeSource()).read(analyze("When did the mayor veto the order?"), [Hit(0, 1.0)])[0]
    assert signed.evidence.missing_predicates == 0.0 and signed.evidence.missing == 0.0
    assert vetoed.evidence.missing_predicates == 1.0 and vetoed.evidence.missing == 0.0
