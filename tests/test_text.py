from qabot.text import SentenceSplitter, normalize, terms, tokens


def test_terms_stem_lowercase_and_drop_stopwords() -> None:
    assert terms("The Mayor’s orders were signed") == ["mayor", "order", "sign"]
    assert normalize("the") == ""
    assert terms("U.S. officials") == ["u.s", "offici"]


def test_irregular_plurals_are_one_term_with_their_singulars() -> None:
    for plural, singular in [
        ("spokeswomen", "spokeswoman"), ("Women's", "woman"), ("men", "man"), ("chairmen", "chairman"),
        ("children", "child"), ("feet", "foot"), ("crises", "crisis"), ("specimens", "specimen"),
    ]:
        assert normalize(plural) == normalize(singular), plural
    assert normalize("omen") != normalize("oman") and normalize("amen") == "amen"
    assert normalize("women") != normalize("wombat") and normalize("statement") == "statement"


def test_irregular_past_forms_are_one_term_with_their_verb() -> None:
    for form, verb in [("said", "say"), ("told", "tell"), ("wrote", "write"), ("written", "writes"), ("became", "become")]:
        assert normalize(form) == normalize(verb), form
    assert normalize("found") != normalize("find") and normalize("left") != normalize("leave")
    assert terms("body-worn camera") == ["bodi", "worn", "camera"]


def test_numbers_written_out_are_one_term_with_their_digits() -> None:
    assert terms("the 3 things") == terms("the three things") == ["3", "thing"]
    assert terms("Nine DAs, thirty days") == ["9", "das", "30", "day"]
    assert terms("the one who signed") == ["one", "sign"]


def test_tokens_keep_offsets() -> None:
    text = "Johnson’s order, signed Saturday."
    for tok in tokens(text):
        assert text[tok.start : tok.end] == tok.surface


def test_splitter_knows_common_abbreviations_without_training() -> None:
    text = "Gov. Kathy Hochul spoke on Friday. The U.S. Department replied. It ends Sept. 5 at noon."
    spans = SentenceSplitter().spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Gov. Kathy Hochul spoke on Friday.",
        "The U.S. Department replied.",
        "It ends Sept. 5 at noon.",
    ]


def test_trained_splitter_spans_are_trimmed() -> None:
    text = "  First sentence here.   Second one follows!  "
    splitter = SentenceSplitter.trained_on([text])
    assert [text[s:e] for s, e in splitter.spans(text)] == ["First sentence here.", "Second one follows!"]


def test_punkt_trains_on_a_bounded_sample_of_each_article(monkeypatch) -> None:
    """A single huge article must not be trained on whole (a 50 MB one took 3 minutes and 2 GB)."""
    from nltk.tokenize.punkt import PunktTrainer

    seen: list[int] = []
    train = PunktTrainer.train
    monkeypatch.setattr(PunktTrainer, "train", lambda self, text, **kw: (seen.append(len(text)), train(self, text, **kw))[1])
    SentenceSplitter.trained_on(["Dr. Smith met Mr. Jones. " * 400, "Another text. " * 10, "Not read."], max_chars=1000)
    assert seen == [1000]
