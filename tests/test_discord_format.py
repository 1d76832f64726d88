import random

from qabot.answer import Answer, Quote
from qabot.cooldown import Cooldown
from qabot.discord_format import question_text, MESSAGE_LIMIT, answer_messages, escape_markdown, pack, sources_messages, split_text


def _quote(text: str, n: int = 1) -> Quote:
    return Quote(text=text, doc_id=f"doc{n}", title="A *Title*", source="x", paragraph=n, start=0, end=len(text), score=1)


def test_answer_is_block_quote_then_citation() -> None:
    [message] = answer_messages(Answer(question="q", answered=True, quotes=[_quote("He said_it *loudly*.")]))
    assert message == "> He said\\_it \\*loudly\\*.\n\u2014 **A \\*Title\\*** (`doc1`, paragraph 1)"


def test_not_found_is_one_plain_message() -> None:
    assert answer_messages(Answer(question="q", answered=False)) == ["I could not find the answer in the articles."]


def test_long_answers_split_at_sentences_within_the_limit() -> None:
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "harbour", "council"]
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 30))).capitalize() + "." for _ in range(120)]
    text = " ".join(sentences)
    messages = answer_messages(Answer(question="q", answered=True, quotes=[_quote(text), _quote("Short one.", 2)]))
    assert len(messages) >= 3
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    quoted = " ".join(line[2:] for m in messages for line in m.splitlines() if line.startswith("> "))
    assert quoted.replace("Short one.", "").strip() == text
    for m in messages:
        for line in m.splitlines():
            if line.startswith("> ") and line[2:] != "Short one.":
                assert line.endswith("."), "a piece ends at a sentence boundary"


def test_split_never_cuts_inside_a_word_unless_the_word_is_too_long() -> None:
    text = "word " * 1000
    pieces = split_text(text.strip(), 97)
    assert all(len(p) <= 97 for p in pieces)
    assert all(w == "word" for p in pieces for w in p.split())
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_pack_keeps_blocks_whole_when_they_fit() -> None:
    blocks = ["a" * 900, "b" * 900, "c" * 900]
    assert pack(blocks) == ["a" * 900 + "\n\n" + "b" * 900, "c" * 900]


def test_sources_listing_fits_in_messages() -> None:
    sources = [(f"{i:03d}_article", f"Title number {i} about the city council budget") for i in range(200)]
    messages = sources_messages(sources)
    assert len(messages) > 1 and all(len(m) <= MESSAGE_LIMIT for m in messages)
    assert sum(m.count("\u2022") for m in messages) == 200


def test_escape_markdown() -> None:
    assert escape_markdown("a_b*c`d|e>f~g") == "a\\_b\\*c\\`d\\|e\\>f\\~g"


def test_the_question_is_the_message_without_its_mentions() -> None:
    assert question_text("<@42> who is <@7>?") == "who is ?"
    assert question_text("<@!42>   hi") == "hi"
    assert question_text("@everyone <@&123> Who signed it? <#55> @here") == "Who signed it?"
    assert question_text("mail me@example.org") == "mail me@example.org"


def test_cooldown_per_user_and_bounded() -> None:
    cooldown = Cooldown(seconds=5, max_users=100)
    assert cooldown.remaining(1, now=0) == 0
    assert cooldown.remaining(1, now=1) == 4
    assert cooldown.remaining(2, now=1) == 0
    assert cooldown.remaining(1, now=5) == 0
    for user in range(10_000):
        cooldown.remaining(user, now=10 + user * 0.0001)
    assert len(cooldown) <= 101
