"""The drafter: an article read into paragraphs and sentences, its dates, its actors, its
statements, and the draft file it writes. Every article here is written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from peacetrack.dates import read_edtf
from peacetrack.draft.actors import Actor, ArticleActors
from peacetrack.draft.article import DraftError, paragraphs, read_article, sentences
from peacetrack.draft.dates import dates_in
from peacetrack.draft.model import Article, Span

FRIDAY = date(2025, 6, 13)


def seed(tmp_path: Path, text: str, published_on: str = "2025-06-13", name: str = "example-news-2025-06-13") -> Path:
    """A seed folder of one article in a seeds folder of its own."""
    folder = tmp_path / "seeds" / name
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(text, encoding="utf-8")
    (folder / "source.yaml").write_text(f"published_on: {published_on}\nlanguage: en\n", encoding="utf-8")
    return folder


def article(text: str, published_on: date | None = FRIDAY) -> Article:
    return Article("example-news-2025-06-13", text, published_on, paragraphs(text), sentences(text))


# --- the article ------------------------------------------------------------------------------


def test_paragraphs_join_hard_wrapped_lines_and_split_at_blank_lines() -> None:
    text = "The talks went on\nlate into the night.\n\n  A second paragraph.\n"
    assert [text[s.start : s.end] for s in paragraphs(text)] == [
        "The talks went on\nlate into the night.",
        "A second paragraph.",
    ]


def test_long_unwrapped_lines_are_paragraphs_each() -> None:
    line = "A sentence long enough to be a paragraph of its own, as a page copied without blank lines gives it. " * 2
    text = f"{line.strip()}\n{line.strip()}\n{line.strip()}"
    assert len(paragraphs(text)) == 3


def test_sentences_are_exact_spans_and_keep_a_closing_quote() -> None:
    text = "“We will sign it,\nand soon.” The minister left.\n\nNext."
    found = [text[s.start : s.end] for s in sentences(text)]
    assert found == ["“We will sign it,\nand soon.”", "The minister left.", "Next."]


def test_read_article_takes_the_publication_date(tmp_path: Path) -> None:
    folder = seed(tmp_path, "Talks resumed yesterday.\n")
    read = read_article(folder)
    assert (read.source_id, read.published_on, read.words(read.sentences[0])) == (
        "example-news-2025-06-13",
        FRIDAY,
        "Talks resumed yesterday.",
    )


def test_read_article_refuses_a_missing_text_and_a_link_out(tmp_path: Path) -> None:
    folder = seed(tmp_path, "Text.\n")
    (folder / "article.txt").unlink()
    with pytest.raises(DraftError, match=r"article\.txt: no such file"):
        read_article(folder)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (folder / "article.txt").symlink_to(outside)
    with pytest.raises(DraftError, match=r"article\.txt"):
        read_article(folder)


def test_read_article_refuses_a_text_not_in_utf8(tmp_path: Path) -> None:
    folder = seed(tmp_path, "Text.\n")
    (folder / "article.txt").write_bytes("Qəbələ".encode("utf-16"))
    with pytest.raises(DraftError, match=r"article\.txt"):
        read_article(folder)


# --- dates ------------------------------------------------------------------------------------

# CONTRIBUTING's table of dates, for a report of Friday 13 June 2025.
DATES = [
    ("on 12 June 2025", "2025-06-12", "stated"),
    ("yesterday", "2025-06-12", "inferred"),
    ("on Wednesday", "2025-06-11", "inferred"),
    ("in May 2025", "2025-05", "stated"),
    ("last month", "2025-05", "inferred"),
    ("this summer", "2025-22", "inferred"),
    ("in 2024", "2024", "stated"),
    ("earlier this year", "2025-01/2025-06", "inferred"),
    ("between March and May", "2025-03/2025-05", "inferred"),
    ("since March", "2025-03/2025-06-13", "inferred"),
    ("since March 2025", "2025-03/..", "stated"),
    ("by 10 June", "../2025-06-10", "inferred"),
    ("around June 2025", "2025-06~", "stated"),
    ("probably in June 2025", "2025-06?", "stated"),
    ("in the 1990s", "199X", "stated"),
    ("In September last year", "2024-09", "inferred"),
    ("on 23 September", "2024-09-23", "inferred"),
    ("three days ago", "2025-06-10", "inferred"),
]


@pytest.mark.parametrize(("words", "edtf", "basis"), DATES)
def test_dates_from_the_words_and_the_publication_date(words: str, edtf: str, basis: str) -> None:
    text = f"The ministers met {words}, officials said."
    guesses = dates_in(article(text), Span(0, len(text)))
    assert [(g.edtf, g.basis) for g in guesses] == [(edtf, basis)]
    assert (
        words.lower().removeprefix("on ").removeprefix("in ")
        in text[guesses[0].span.start : guesses[0].span.end].lower()
    )
    read_edtf(edtf)  # the contract reads it


def test_an_undated_report_dates_only_what_it_prints_in_full() -> None:
    text = "They met yesterday and last month, and first in August 2024 and since March 2025."
    guesses = dates_in(article(text, None), Span(0, len(text)))
    assert [(g.edtf, g.basis) for g in guesses] == [("2024-08", "stated"), ("2025-03/..", "stated")]


def test_no_date_where_the_words_give_none() -> None:
    text = "The 1991 Alma-Ata Declaration is the basis, the minister said. May it hold."
    assert dates_in(article(text), Span(0, len(text))) == []


def test_dates_only_inside_the_span() -> None:
    text = "They met yesterday. They spoke last month."
    guesses = dates_in(article(text), Span(20, len(text)))
    assert [g.edtf for g in guesses] == ["2025-05"]


# --- actors -----------------------------------------------------------------------------------

KNOWN = [
    Actor(
        "ilham-aliyev", "Ilham Aliyev", "person", "AZE", "President of Azerbaijan", ["President Aliyev", "Aliyev"], True
    ),
    Actor("arm", "Armenia", "state", "ARM", None, ["Armenia"], True),
    Actor("fra", "France", "state", "FRA", None, ["France"], True),
]

REPORT = (
    "YEREVAN (Example News) – Armenia’s Foreign Minister Ararat Mirzoyan met his French\n"
    "counterpart in Paris on Monday, the Armenian foreign ministry said.\n\n"
    "Mirzoyan said the talks were useful. President Ilham Alijev did not comment.\n\n"
    "Narine Petrosyan, an analyst at the Yerevan Policy Centre, said the visit mattered.\n"
    "A diplomatic source said more was to come, according to the daily Morning Courier.\n"
)


def report_actors() -> tuple[Article, ArticleActors]:
    read = article(REPORT)
    return read, ArticleActors(read, KNOWN)


def test_a_titled_person_is_proposed_with_role_and_country() -> None:
    read, actors = report_actors()
    use = actors.used("ararat-mirzoyan")
    assert use is not None and not use.match.known
    assert (use.actor.actor_type, use.actor.country, use.actor.role) == ("person", "ARM", "Foreign Minister")
    assert read.words(use.first) == "Armenia’s Foreign Minister Ararat Mirzoyan"


def test_a_surname_alone_is_the_person_named_before() -> None:
    read, actors = report_actors()
    second = REPORT.index("Mirzoyan said")
    found = actors.mentions(Span(second, second + len("Mirzoyan")))
    assert [(read.words(span), match.actor_id) for span, match in found] == [("Mirzoyan", "ararat-mirzoyan")]


def test_a_known_actor_is_linked_fuzzily_with_its_score() -> None:
    _, actors = report_actors()
    use = actors.used("ilham-aliyev")
    assert use is not None and use.match.known
    assert use.match.matched == "Ilham Aliyev" and 88 <= use.match.score < 100  # "Alijev", misspelt


def test_countries_by_name_capital_and_demonym() -> None:
    _, actors = report_actors()
    paris = REPORT.index("Paris")
    assert [m.actor_id for _, m in actors.mentions(Span(paris, paris + 5))] == ["fra"]
    resolved = actors.resolve("Armenian")
    assert resolved is not None and resolved.actor_id == "arm"


def test_bodies_experts_media_and_anonymous_sources() -> None:
    _, actors = report_actors()
    kinds = {actor_id: use.actor.actor_type for actor_id, use in actors.uses.items()}
    assert kinds["arm-foreign-ministry"] == "government_agency"
    assert kinds["narine-petrosyan"] == "expert"
    assert kinds["morning-courier"] == "media"
    assert kinds["example-news-2025-06-13-diplomatic-source"] == "anonymous"
    expert = actors.used("narine-petrosyan")
    assert expert is not None and expert.actor.country is None  # where she works is not her country


def test_resolve_a_speaker_by_title_and_surname() -> None:
    _, actors = report_actors()
    for name in ("Mirzoyan", "Foreign Minister Ararat Mirzoyan"):
        match = actors.resolve(name)
        assert match is not None and match.actor_id == "ararat-mirzoyan"
    aliyev = actors.resolve("President Aliyev")
    assert aliyev is not None and (aliyev.actor_id, aliyev.known) == ("ilham-aliyev", True)
    assert actors.resolve("Nobody Known") is None
