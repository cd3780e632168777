"""The drafter: an article read into paragraphs and sentences, its dates, its actors, its
statements, and the draft file it writes. Every article here is written for these tests."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.dates import read_edtf
from peacetrack.draft import draft_seed
from peacetrack.draft.actors import Actor, ArticleActors, released_table
from peacetrack.draft.article import DraftError, paragraphs, read_article, sentences
from peacetrack.draft.dates import dates_in
from peacetrack.draft.model import Article, Proposal, Span
from peacetrack.draft.statements import propose_statements

from .helpers import FIXTURES, SEEDS, load_yaml

FRIDAY = date(2025, 6, 13)
runner = CliRunner()


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
    assert (use.actor.actor_type, use.actor.country, use.actor.role) == ("person", "ARM", "Foreign Minister of Armenia")
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


# --- statements -------------------------------------------------------------------------------


def statements_of(text: str, published_on: date | None = FRIDAY) -> tuple[Article, list[Proposal]]:
    read = article(text, published_on)
    return read, propose_statements(read, ArticleActors(read, KNOWN))


MARKS = [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("‘", "’")]


@pytest.mark.parametrize(("opening", "closing"), MARKS)
def test_a_direct_quote_in_each_style_of_marks(opening: str, closing: str) -> None:
    text = (
        "Foreign Minister Ararat Mirzoyan spoke in Yerevan’s old town.\n\n"
        f"{opening}The border will be drawn on paper first,{closing} said Mirzoyan.\n"
    )
    read, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"], p.values["quote"]) for p in found] == [
        ("direct_quote", "ararat-mirzoyan", "The border will be drawn on paper first")
    ]
    assert read.words(found[0].evidence[0]).startswith(opening) and "said Mirzoyan." in read.words(found[0].evidence[0])


def test_an_apostrophe_is_no_quote() -> None:
    _, found = statements_of("Armenia’s new rail line opened in Yerevan’s suburbs, the report’s authors wrote.\n")
    assert [p.values["kind"] for p in found if p.values["kind"] == "direct_quote"] == []


def test_a_quote_split_by_its_attribution_is_one_statement_with_two_evidence_quotes() -> None:
    text = (
        "Prime Minister Nikol Pashinyan spoke to reporters.\n\n"
        "“We will not wait for ever,” he said. “The text is ready and the sides know it.”\n"
    )
    read, found = statements_of(text)
    assert len(found) == 1
    statement = found[0]
    assert statement.values["speaker_id"] == "nikol-pashinyan"
    assert [read.words(span) for span in statement.evidence] == [
        "“We will not wait for ever,” he said.",
        "“The text is ready and the sides know it.”",
    ]
    assert statement.values["quote"] == "The text is ready and the sides know it."


def test_a_quote_over_two_paragraphs_is_one_statement() -> None:
    text = (
        "Deputy Foreign Minister Lusine Harutyunyan gave the figures.\n\n"
        "“The commissions have met nine times this year,” she said. “Each meeting has\n"
        "moved the line a little.\n\n"
        "“The next one will be in Tavush, and it will be the longest.”\n"
    )
    read, found = statements_of(text)
    assert len(found) == 1
    assert [read.words(span)[:12] for span in found[0].evidence] == ["“The commiss", "“Each meetin", "“The next on"]
    assert found[0].values["speaker_id"] == "lusine-harutyunyan"


def test_he_added_is_the_last_person_named() -> None:
    text = (
        "President Ilham Alijev opened the session. “The border is ours to guard,” he said.\n\n"
        "“Nobody will decide it for us,” he added.\n"
    )
    _, found = statements_of(text)
    assert [(p.values["speaker_id"], p.values["quote"]) for p in found] == [
        ("ilham-aliyev", "The border is ours to guard"),
        ("ilham-aliyev", "Nobody will decide it for us"),
    ]
    assert "score" in found[0].reason  # linked to a known actor, fuzzily


def test_according_to_gives_the_speaker_of_a_paraphrase() -> None:
    text = "France has offered a second batch of radars, according to a diplomatic source in Paris.\n"
    _, found = statements_of(text)
    assert len(found) == 1
    values = found[0].values
    assert (values["kind"], values["speaker_id"], values["quote"]) == (
        "paraphrase",
        "example-news-2025-06-13-diplomatic-source",
        None,
    )
    assert values["summary"].startswith("A diplomatic source in Paris said France has offered a second batch of radars")


def test_reported_speech_is_a_paraphrase_dated_by_its_verb() -> None:
    text = (
        "Foreign Minister Ararat Mirzoyan was in Brussels on Thursday.\n\n"
        "Mirzoyan said yesterday that the border commissions would meet again before the autumn.\n"
    )
    read, found = statements_of(text)
    paraphrase = next(p for p in found if p.values["kind"] == "paraphrase")
    assert paraphrase.values["speaker_id"] == "ararat-mirzoyan"
    assert (paraphrase.values["when"], paraphrase.values["date_basis"]) == ("2025-06-12", "inferred")
    assert (
        paraphrase.values["summary"]
        == "Mirzoyan said yesterday that the border commissions would meet again before the autumn."
    )
    assert paraphrase.values["topic"] == "border_delimitation"
    assert read.words(paraphrase.evidence[0]).startswith("Mirzoyan said yesterday")


def test_said_with_no_date_is_on_or_before_publication_and_undated_without_it() -> None:
    text = "“The talks are over for now,” Foreign Minister Ararat Mirzoyan said.\n"
    for published_on, expected in ((FRIDAY, ("../2025-06-13", "inferred")), (None, (None, None))):
        _, found = statements_of(text, published_on)
        assert (found[0].values["when"], found[0].values["date_basis"]) == expected


# --- the draft file ---------------------------------------------------------------------------

SHORT_REPORT = (
    "Ministers meet in Ijevan\n\n"
    "IJEVAN (Example News) – Foreign Minister Ararat Mirzoyan met his Azerbaijani counterpart\n"
    "Ceyhun Bayramov yesterday. “We have agreed on the next section of the line,” Mirzoyan said.\n\n"
    "Bayramov said the talks would go on in Qəbələ.\n"
)
OTHER_CODING = """\
actors:
  - actor_id: ararat-mirzoyan
    name: Ararat Mirzoyan
    actor_type: person
    country: ARM
    role: Foreign Minister of Armenia
    aliases: [Ararat Mirzoyan, Mirzoyan]
    evidence:
      - Ararat Mirzoyan
"""


def two_seeds(tmp_path: Path) -> Path:
    """A seed to draft, beside another whose coding has one of its actors."""
    other = seed(tmp_path, "Foreign Minister Ararat Mirzoyan spoke.\n", name="example-news-2025-06-01")
    (other / "coding.yaml").write_text(OTHER_CODING, encoding="utf-8")
    return seed(tmp_path, SHORT_REPORT)


def test_draft_seed_writes_the_draft_beside_coding_yaml_and_never_over_it(tmp_path: Path) -> None:
    folder = two_seeds(tmp_path)
    (folder / "coding.yaml").write_text("actors: []\n", encoding="utf-8")
    path = draft_seed(folder)
    assert path == folder / "coding.draft.yaml"
    assert (folder / "coding.yaml").read_text(encoding="utf-8") == "actors: []\n"
    document = load_yaml(path)
    assert {"actors", "statements"} <= document.keys()
    assert all("draft" in entry and 0 <= entry["draft"]["confidence"] <= 1 for entry in document["statements"])


def test_an_existing_draft_is_refused_unless_replaced(tmp_path: Path) -> None:
    folder = two_seeds(tmp_path)
    (folder / "coding.draft.yaml").write_text("# my notes\n", encoding="utf-8")
    with pytest.raises(DraftError, match="a draft is there already"):
        draft_seed(folder)
    assert (folder / "coding.draft.yaml").read_text(encoding="utf-8") == "# my notes\n"
    draft_seed(folder, replace=True)
    assert "# my notes" not in (folder / "coding.draft.yaml").read_text(encoding="utf-8")


def test_a_draft_links_an_actor_of_another_seed_and_says_why(tmp_path: Path) -> None:
    document = load_yaml(draft_seed(two_seeds(tmp_path)))
    mirzoyan = next(a for a in document["actors"] if a["actor_id"] == "ararat-mirzoyan")
    assert (mirzoyan["name"], mirzoyan["role"]) == ("Ararat Mirzoyan", "Foreign Minister of Armenia")  # as coded
    assert mirzoyan["draft"]["reason"].startswith("“Foreign Minister Ararat Mirzoyan” is ararat-mirzoyan (")
    assert "score 100" in mirzoyan["draft"]["reason"]
    bayramov = next(a for a in document["actors"] if a["actor_id"] == "ceyhun-bayramov")
    assert (bayramov["actor_type"], bayramov["country"]) == ("person", "AZE")
    assert bayramov["draft"]["reason"].startswith("new person")


def test_a_draft_that_does_not_read_back_is_an_internal_error_and_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peacetrack.draft.writer as writer

    folder = two_seeds(tmp_path)
    monkeypatch.setattr(writer, "quote_ref", lambda article, span: "words the article does not hold")
    with pytest.raises(DraftError, match=r"internal error: .* does not read back as a coding file"):
        draft_seed(folder)
    assert not (folder / "coding.draft.yaml").exists()


ARTICLES = [SEEDS / "aliyev-milli-majlis-2024-09-23", *sorted((FIXTURES / "articles").iterdir())]


@pytest.mark.parametrize("source", ARTICLES, ids=[p.name for p in ARTICLES])
def test_each_article_drafts_and_its_draft_validates_with_only_draft_faults(source: Path, tmp_path: Path) -> None:
    """`draft` reads its draft back without the rules across rows (for speed); `validate` runs
    them all, and finds nothing but the marks, on every article we have."""
    seeds = tmp_path / "seeds"
    shutil.copytree(source, seeds / source.name)
    folder = seeds / source.name
    before = (folder / "coding.yaml").read_bytes()
    drafted = runner.invoke(app, ["draft", str(folder)])
    assert drafted.exit_code == 0, drafted.output
    assert drafted.output.splitlines()[0].endswith("coding.draft.yaml")
    assert "statements: " in drafted.output and "military_transfers: " in drafted.output
    assert (folder / "coding.yaml").read_bytes() == before
    result = runner.invoke(app, ["validate", str(folder / "coding.draft.yaml"), "--format", "json"])
    report = json.loads(result.stdout)
    assert set(report["totals"]["errors"]) == {"draft"}
    entries = sum(len(rows) for rows in load_yaml(folder / "coding.draft.yaml").values())
    assert report["totals"]["errors"]["draft"] == entries  # every entry marked, and nothing else wrong


def test_draft_of_no_seed_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such seed folder" in result.output


def test_a_speaker_named_with_a_role_that_names_a_body_is_the_person() -> None:
    text = (
        "Rauf Qasımov, deputy head of Azerbaijan’s reconstruction agency, said 600 families had come back.\n\n"
        "The reconstruction agency said the railway would open in stages.\n"
    )
    _, found = statements_of(text)
    assert [p.values["speaker_id"] for p in found] == ["rauf-qasimov", "aze-reconstruction-agency"]


def test_an_official_of_a_body_named_before_speaks_for_it() -> None:
    text = (
        "Armenia’s commission on missing persons said it had received the remains of six soldiers.\n\n"
        "A commission official called the handover “a step, and only a step”.\n"
    )
    _, found = statements_of(text)
    assert {p.values["speaker_id"] for p in found} == {"arm-commission-on-missing-persons"}


def test_a_resident_known_by_a_first_name_is_the_speaker() -> None:
    text = (
        "“The road is open at last,” said one of them, who gave only her first name, Nazlı. “We waited three years.”\n"
    )
    _, found = statements_of(text)
    assert [(p.values["speaker_id"], len(p.evidence)) for p in found] == [("example-news-2025-06-13-nazli", 2)]


def test_a_long_quote_of_several_sentences_is_a_statement_a_sentence() -> None:
    text = (
        "“Our border guards have been on the line since the spring and they will stay there … The\n"
        "commissions can draw what they like on paper. Nobody will move a single post without our\n"
        "consent, and everybody in the region knows it,” Defence Minister Suren Papikyan said.\n"
    )
    read, found = statements_of(text)
    assert [p.values["quote"][:24] for p in found] == [
        "Our border guards have b",
        "The commissions can draw",
        "Nobody will move a singl",
    ]
    assert all(p.values["speaker_id"] == "suren-papikyan" for p in found)
    assert all(read.words(p.evidence[-1]).endswith("Papikyan said.") for p in found)


def test_without_a_release_at_hand_a_draft_is_made_from_the_seeds_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEACETRACK_DATA_DIR", str(tmp_path / "no-data"))
    monkeypatch.setenv("PEACETRACK_BASE_URL", "http://127.0.0.1:9/")  # never asked: nothing listens there
    assert released_table("actors", ["actor_id"]) == []
    document = load_yaml(draft_seed(two_seeds(tmp_path)))
    assert "ararat-mirzoyan" in {a["actor_id"] for a in document["actors"]}


# --- persons named without a title --------------------------------------------------------


def test_persons_named_without_a_title_speak_by_their_surnames() -> None:
    text = (
        "Tigran Sargsyan and Elvin Məmmədli met for five hours at a lakeside hotel near Sevan.\n\n"
        "“The text is nearly done,” Sargsyan told reporters afterwards.\n\n"
        '"Nearly is not done," said Məmmədli.\n\n'
        "Sargsyan said that the maps would be exchanged within a fortnight.\n"
    )
    read, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"]) for p in found] == [
        ("direct_quote", "tigran-sargsyan"),
        ("direct_quote", "elvin-mammadli"),
        ("paraphrase", "tigran-sargsyan"),
    ]
    actors = ArticleActors(read, KNOWN)
    assert "sevan" not in actors.uses and all(
        use.actor.actor_type != "person" or " " in use.actor.name for use in actors.uses.values()
    )


def test_capitalised_words_that_never_speak_are_no_person() -> None:
    read = article("Talks resumed at Lake Sevan and later in Abu Dhabi, where Golden Gate Hotel hosted them.\n")
    actors = ArticleActors(read, KNOWN)
    assert [use.actor.name for use in actors.uses.values() if use.actor.actor_type == "person"] == []


def test_a_name_after_a_place_and_a_title_of_several_words_is_the_person() -> None:
    text = (
        "Deputy Foreign Minister of Armenia Gevorg Hakobyan handed over the proposals.\n\n"
        "„We expect a reply within a month“, G. Hakobyan told journalists.\n"
    )
    _, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"]) for p in found] == [("direct_quote", "gevorg-hakobyan")]


def test_the_speaker_of_an_appositive_is_the_person_not_the_one_in_the_role() -> None:
    text = (
        "Leyla Qasımova, foreign policy adviser to President Ilham Aliyev, wrote on social media that\n"
        "the meeting had been “calm and useful”.\n\n"
        "Armenia’s foreign ministry disagreed. A spokesperson for the ministry, Anahit Sahakyan, said\n"
        "Armenia had “kept every promise”.\n"
    )
    _, found = statements_of(text)
    assert [p.values["speaker_id"] for p in found] == ["leyla-qasimova", "anahit-sahakyan"]


def test_a_closing_attribution_names_the_speaker_of_a_paraphrase() -> None:
    text = (
        "Foreign Minister Ararat Mirzoyan met his counterpart.\n\n"
        "Azerbaijan answered the comments in writing on 7 June, Mirzoyan said.\n"
    )
    _, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"]) for p in found] == [("paraphrase", "ararat-mirzoyan")]


def test_a_quote_inside_a_speakers_sentence_is_not_the_next_clauses() -> None:
    text = (
        "Leyla Qasımova, the president’s adviser, has accused France of “pouring weapons into the\n"
        "region”, and officials in Baku say every delivery delays the treaty.\n"
    )
    _, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"]) for p in found] == [
        ("direct_quote", "leyla-qasimova"),
        ("paraphrase", "aze"),  # the clause after the quote: the officials' words
    ]
    assert found[1].values["summary"] == "Azerbaijan say every delivery delays the treaty."


def test_a_person_after_a_city_who_puts_it_this_way_is_the_speaker() -> None:
    text = (
        "In Paris, Claire Dumont, who studies the region at a think tank, put it this way: “Nobody\n"
        "sells peace by the tonne.”\n"
    )
    _, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"]) for p in found] == [("direct_quote", "claire-dumont")]


def test_a_host_city_is_no_target_of_a_statement() -> None:
    text = (
        "Foreign Minister Ararat Mirzoyan said after the talks in Paris that the sides were close.\n\n"
        "Mirzoyan said that Paris had offered to host the signing.\n"
    )
    _, found = statements_of(text)
    assert [p.values["target_id"] for p in found] == [None, "fra"]


def test_two_quotes_of_one_claim_in_a_sentence_are_one_statement() -> None:
    text = (
        "Armenia’s foreign ministry said that the vote was “a matter for the citizens” and that the\n"
        "text “says nothing about it”.\n\n"
        "Its spokesman, Davit Karapetyan, said the guns were «purely defensive» and accused Baku of «provocation».\n\n"
        "Foreign Minister Ararat Mirzoyan said the road would run “under Armenian law and customs”, and\n"
        "accused officials of calling it a corridor “to frighten our own citizens”.\n"
    )
    _, found = statements_of(text)
    assert [(p.values["speaker_id"], len(p.evidence)) for p in found] == [
        ("arm-foreign-ministry", 1),
        ("davit-karapetyan", 1),
        ("ararat-mirzoyan", 1),
        ("ararat-mirzoyan", 1),
    ]


def test_the_tail_of_a_body_that_speaks_is_no_person() -> None:
    text = "Elmar Qasımlı, a researcher at Baku’s Centre for Caspian Studies, said the talks were slow.\n"
    read = article(text)
    actors = ArticleActors(read, KNOWN)
    assert [use.actor.name for use in actors.uses.values() if use.actor.actor_type in ("person", "expert")] == [
        "Elmar Qasımlı"
    ]


def test_a_name_with_a_particle_and_a_spokeswoman_of_a_person_speak() -> None:
    text = (
        "Maria van der Berg, a senior fellow at Baltic Policy Europe, said the shooting would not stop the talks.\n"
        "«It is noise, not a signal,» van der Berg told the agency.\n\n"
        "Mirzoyan's spokeswoman, Ani Grigoryan, wrote on Facebook that the claim was false.\n"
    )
    read, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"]) for p in found] == [
        ("paraphrase", "maria-van-der-berg"),
        ("direct_quote", "maria-van-der-berg"),
        ("paraphrase", "ani-grigoryan"),
    ]
    kinds = {use.actor.name: use.actor.actor_type for use in ArticleActors(read, KNOWN).uses.values()}
    assert kinds["Maria van der Berg"] == "expert" and "Baltic Policy Europe" not in kinds


def test_a_phrase_of_a_few_words_inside_reported_speech_is_a_paraphrase() -> None:
    text = (
        "Foreign Minister Ararat Mirzoyan said demining the valley would take “decades, not years”, and\n"
        "asked for help.\n\n"
        "Mirzoyan said the talks had been “frank and useful”.\n"
    )
    _, found = statements_of(text)
    assert [(p.values["kind"], p.values["quote"]) for p in found] == [
        ("paraphrase", None),
        ("direct_quote", "frank and useful"),  # the sentence ends with the speaker's words
    ]


def test_an_honorific_and_a_surname_is_the_person_named_before_or_a_new_one() -> None:
    text = (
        "Prime Minister Nikol Pashinyan visited a school in Ijevan.\n\n"
        '"The new road will reach the valley by spring," Mr Pashinyan told reporters. "Then the buses come."\n\n'
        'A retired engineer, Marta Lind, watched. "Roads here take years", Ms Lind said.\n'
    )
    read, found = statements_of(text)
    assert [(p.values["kind"], p.values["speaker_id"], p.values["quote"]) for p in found] == [
        ("direct_quote", "nikol-pashinyan", "The new road will reach the valley by spring"),
        ("direct_quote", "marta-lind", "Roads here take years"),
    ]
    assert read.words(found[0].evidence[1]) == '"Then the buses come."'


def test_a_speaker_by_office_is_the_holder_of_that_office_never_the_state() -> None:
    text = (
        "Armenia's Prime Minister Nikol Pashinyan and President Ilham Aliyev met in Astana.\n\n"
        "«The border maps are ready,» said the Azerbaijani president. «Only the signatures are left.»\n\n"
        '"We will sign when the text is final," the Armenian prime minister said.\n\n'
        '"Not before June," said the Russian president.\n'
    )
    read, found = statements_of(text)
    assert [(p.values["speaker_id"], p.values["quote"]) for p in found] == [
        ("ilham-aliyev", "Only the signatures are left."),  # the longer half
        ("nikol-pashinyan", "We will sign when the text is final"),
    ]
    assert read.words(found[0].evidence[1]) == "«Only the signatures are left.»"


def test_he_added_is_the_last_speaker_not_the_last_person_named() -> None:
    text = (
        "President Ilham Alijev spoke first. “The corridor must open,” he said. Foreign Minister Ararat Mirzoyan\n"
        "sat across the table.\n\n"
        "“We will not wait,” he added, “for another winter.”\n"
    )
    _, found = statements_of(text)
    assert [p.values["speaker_id"] for p in found] == ["ilham-aliyev", "ilham-aliyev"]
