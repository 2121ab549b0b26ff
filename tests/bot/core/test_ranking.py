"""Ranking rules, each on plain hits: the evidence that puts the answering sentence first."""

from __future__ import annotations

from bot.core.answerer import compose
from bot.core.conversation import ConversationState, TurnMemory
from bot.core.lexicon import Lexicon
from bot.core.ranking import Evidence, asks_origin, coverage, rank, related
from bot.core.reading import read_question
from retrieval.engines import lucene_idf
from retrieval.models import Hit
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()
LEXICON = Lexicon(TOKENIZER.tokenize)
FRESH = ConversationState()
N = 20


def hit(sentence: str, index: int, query: str, score: float = 1.0) -> Hit:
    """A Hit as the index would return it for ``query``."""
    present = set(TOKENIZER.tokenize(sentence))
    return Hit(
        doc_id="doc",
        title="Story",
        sentence=sentence,
        start=index * 100,
        end=index * 100 + len(sentence),
        score=score,
        paragraph=1,
        position=index,
        index=index,
        matched=tuple(t for t in TOKENIZER.query_terms(query) if t in present),
    )


def evidence(**extra: object) -> Evidence:
    """Every term equally rare: the rules, not the weights, decide."""
    return Evidence(weights={}, unknown_weight=lucene_idf(0, N), **extra)  # type: ignore[arg-type]


def test_a_word_naming_the_answer_kind_is_held_by_an_answer_of_that_kind() -> None:
    plan = read_question("What year?", FRESH, LEXICON)
    slots = plan.slots
    assert [s.type_word for s in slots] == [True]
    assert coverage({"year"}, slots, [1.0], typed=False) == 0.0
    assert coverage(set(), slots, [1.0], typed=True) == 1.0
    assert coverage({"year"}, slots, [1.0]) == 1.0  # without kind evidence, the word itself


def test_what_year_prefers_a_year_to_the_word_year() -> None:
    plan = read_question("What year?", FRESH, LEXICON)
    repeats = hit("She signed a three-year lease but may move out after one.", 4, plan.query, 2.0)
    dated = hit("The bakery opened on March 3, 2014, near the harbour.", 3, plan.query, 0.1)
    ranked = rank(plan, [repeats, dated], evidence(), LEXICON)
    assert ranked[0].hit is dated


def test_a_bare_why_in_a_chosen_article_reads_on_from_the_previous_answer() -> None:
    last = TurnMemory(
        question="What did the police do?",
        query="What did the police do?",
        subject="police",
        answered=True,
        doc_id="doc",
        cited=(3,),
    )
    state = ConversationState(turns=(last,))
    plan = read_question("Why?", state, LEXICON)
    sentence = "Police arrested the cyclist, who had just lost his race, at the hotel."
    hits = [hit(sentence, 3, plan.query)]
    scoped = compose(
        "Why?", hits, state, evidence(anchor=3, scoped=True, within="doc"), LEXICON, plan
    )
    assert scoped.answered and scoped.citations[0].sentence == sentence
    # Over a whole corpus, a sentence without a reason does not answer "Why?", not even in
    # the article the conversation follows.
    open_corpus = compose("Why?", hits, state, evidence(anchor=3), LEXICON, plan)
    assert not open_corpus.answered
    followed = compose("Why?", hits, state, evidence(anchor=3, within="doc"), LEXICON, plan)
    assert not followed.answered
    # Nor does one far from the previous answer.
    far = compose("Why?", hits, state, evidence(anchor=9, scoped=True, within="doc"), LEXICON, plan)
    assert not far.answered


def test_another_form_of_a_word_counts_as_a_synonym_does() -> None:
    assert related(["photo"], {"photograph"})
    assert related(["children"], {"child"})
    assert not related(["port"], {"portion"})  # stems too short to say they are one word
    assert not related(["photo"], {"phone"})
    plan = read_question("What were the farmers holding in the photos?", FRESH, LEXICON)
    weights = [1.0 for _ in plan.slots]
    sentence = "Photographs show two farmers holding baskets of plums."
    held = set(TOKENIZER.tokenize(sentence))
    assert 0.8 < coverage(held, plan.slots, weights) < 1.0


def test_a_sentence_with_another_form_of_the_asked_word_ranks_first() -> None:
    plan = read_question("Does she have any grandchildren?", FRESH, LEXICON)
    other = hit("She has a house in the capital.", 2, plan.query)
    child = hit("She said her first grandchild was born while she lived in Oslo.", 5, plan.query)
    assert rank(plan, [other, child], evidence(), LEXICON)[0].hit is child


def test_an_event_verb_weighs_as_a_word_naming_the_answer_kind() -> None:
    plan = read_question("Where did the attack take place?", FRESH, LEXICON)
    assert {s.word: s.type_word for s in plan.slots} == {
        "attack": False,
        "take": True,
        "place": True,
    }
    when = read_question("What year did all that happen?", FRESH, LEXICON)
    said = hit("It is hard to say how it could happen.", 2, when.query, 2.0)
    dated = hit("The council closed the mill in 1998.", 6, when.query, 0.1)
    assert rank(when, [said, dated], evidence(), LEXICON)[0].hit is dated


def test_words_about_the_article_itself_are_not_searched() -> None:
    plan = read_question("Who is the main character of this article?", FRESH, LEXICON)
    assert plan.slots == () and "article" not in plan.query.lower()
    about = read_question("Who is the story about?", FRESH, LEXICON)
    assert about.slots == ()
    # "the article's title", "the story from the old ballad": another text, named.
    title = read_question("What forces are named in the article's title?", FRESH, LEXICON)
    assert "article's" in {s.word for s in title.slots}
    exodus = read_question("Who tricked the miller in the story from the ballad?", FRESH, LEXICON)
    assert "story" in {s.word for s in exodus.slots}


def test_where_someone_is_from_wants_an_origin_not_any_place() -> None:
    assert asks_origin("Where's she from?") and asks_origin("Where is Lena Moss from?")
    assert asks_origin("Where’s he from?")  # a typographic apostrophe reads the same
    assert not asks_origin("Where was the ship towed from?")
    assert not asks_origin("Where did she grow up?")
    plan = read_question("Where's she from?", FRESH, LEXICON)
    online = hit("She came across a recipe on the Internet in Paris.", 0, plan.query)
    origin = hit("Ruiz, a retired nurse from Valparaiso, posts daily.", 1, plan.query)
    chilean = hit("Vidal, a Chilean-American, was held.", 2, plan.query)
    ranked = rank(plan, [online, origin, chilean], evidence(), LEXICON)
    assert {c.hit.index for c in ranked[:2]} == {1, 2}


def test_a_bare_when_in_a_chosen_article_reads_on_without_a_date() -> None:
    last = TurnMemory(
        question="Why not?", query="Why not live", subject="", answered=True, cited=(4,)
    )
    state = ConversationState(turns=(last,))
    plan = read_question("When?", state, LEXICON)
    sentence = "She sings the duet with her brother on stage."
    hits = [hit(sentence, 4, plan.query)]
    scoped = compose(
        "When?", hits, state, evidence(anchor=4, scoped=True, within="doc"), LEXICON, plan
    )
    assert scoped.answered
    assert not compose("When?", hits, state, evidence(anchor=4), LEXICON, plan).answered


def test_a_bare_when_reads_on_in_the_article_a_conversation_follows() -> None:
    last = TurnMemory(
        question="Who did the band play against?",
        query="Who did the band play against?",
        subject="band",
        answered=True,
        doc_id="doc",
        cited=(6,),
    )
    state = ConversationState(turns=(last,))
    plan = read_question("When?", state, LEXICON)
    hits = [hit("The band played against the Rovers at the old stadium.", 7, plan.query)]
    followed = evidence(anchor=6, within="doc")  # over a corpus, not chosen by the user
    assert compose("When?", hits, state, followed, LEXICON, plan).answered
    # Two sentences on from the previous answer is no longer reading on.
    far = evidence(anchor=5, within="doc")
    assert not compose("When?", hits, state, far, LEXICON, plan).answered


def test_a_dateline_place_is_not_where_the_story_happened() -> None:
    plan = read_question("Who is doing a concert in Lyon?", FRESH, LEXICON)
    dateline = hit("Lyon (AFP) -- Mara Quist talks about her concert.", 0, plan.query)
    stage = hit("Quist sang at the opera house in Lyon for the concert.", 1, plan.query)
    ranked = rank(plan, [dateline, stage], evidence(), LEXICON)
    assert ranked[0].hit is stage
    assert ranked[1].coverage == 0.5  # "concert", but not "Lyon"
    # A place the sentence names again after the dateline still counts.
    again = hit("Quito, Ecuador (AP) -- A banker was killed in Quito.", 0, "Quito killed")
    where = read_question("Who was killed in Quito?", FRESH, LEXICON)
    assert rank(where, [again], evidence(), LEXICON)[0].coverage == 1.0


def test_a_bare_when_weighs_a_date_more_than_the_borrowed_words() -> None:
    last = TurnMemory(
        question="Who did the striker face on his return?",
        query="Who did the striker face on his return?",
        subject="striker",
        answered=True,
        doc_id="doc",
        cited=(4,),
    )
    state = ConversationState(turns=(last,))
    plan = read_question("When?", state, LEXICON)
    assert all(s.inherited for s in plan.slots)
    said = "The striker said his return would be a relief after the long injury."
    cited = hit(said, 4, plan.query, 2.0)
    dated = hit("On his return he faces the Rovers on Saturday.", 5, plan.query, 1.2)
    ranked = rank(plan, [cited, dated], evidence(anchor=4, within="doc"), LEXICON)
    assert ranked[0].hit is dated
