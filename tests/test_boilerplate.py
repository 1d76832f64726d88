import pytest

from qabot.boilerplate import boilerplate_reason


@pytest.mark.parametrize(
    "line",
    [
        "Skip to content",
        "Skip to main content",
        "Read also:",
        "Read more",
        "Latest",
        "Related stories",
        "Leave a Reply",
        "Leave a comment",
        "Your email address will not be published. Required fields are marked *",
        "Share this article on Facebook",
        "Subscribe to our newsletter",
        "Advertisement",
        "• YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE.  Some Other Story",
        "CLICK HERE TO READ MORE NEWS",
        "« Previous story title here",
        "» Next: Another Headline",
        "While the council and its allies plot…",
        "{Example.com}",
        "[Reuters]",
        "www.example-news.com",
    ],
)
def test_web_furniture_is_boilerplate(line: str) -> None:
    assert boilerplate_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Community Voices",
        "The Role of Advocacy Groups",
        "Mayor Johnson said the police will NOT EVER cooperate with ICE.",
        "Going forward, three specific developments warrant close monitoring:",
        "The city council will vote on the budget next week.",
        "Readers shared their stories with the paper.",
        "He said: “We will not wait…” and left the room. Officials later confirmed it.",
        "| Stakeholder | Before | After |",
    ],
)
def test_article_text_is_kept(line: str) -> None:
    assert boilerplate_reason(line) is None
