"""Yes or No only where the cited sentence states the asked fact or its negation plainly."""

from __future__ import annotations

from bot.core.verdicts import decide, is_alternative
from retrieval.tokens import Tokenizer

TOKENIZER = Tokenizer()


def verdict(question: str, sentence: str, *words: str) -> str | None:
    slots = [TOKENIZER.tokenize(w) for w in words]
    return decide(question, sentence, slots, TOKENIZER.tokenize)


def test_a_plain_statement_is_yes() -> None:
    sentence = "The valley's history is marked by sudden floods of the river since 1921."
    question = "Does the valley have a history of sudden floods?"
    assert verdict(question, sentence, "history", "sudden", "floods") == "yes"


def test_a_negated_statement_is_no() -> None:
    sentence = "Inspectors said there was no sign of arson in Monday's warehouse blaze."
    assert verdict("Was there a sign of arson?", sentence, "sign", "arson") == "no"
    assert verdict("Did he attend?", "He did not attend the hearing.", "attend") == "no"


def test_a_negative_question_asks_the_same_fact() -> None:
    # "Didn't he attend?" - "No, he did not."
    assert verdict("Didn't he attend?", "He did not attend the hearing.", "attend") == "no"
    assert verdict("Didn't he attend?", "He attended the hearing.", "attend") == "yes"


def test_no_verdict_when_the_sentence_does_not_say() -> None:
    sentence = "Marta Lind took office in 2015 after years of coalition rule."
    assert verdict("Does she have any children?", sentence, "children") is None


def test_no_verdict_on_a_hypothetical() -> None:
    sentence = "At a public planning appeal, an inspector would have ruled on the tower."
    question = "Will there be a public planning appeal?"
    assert verdict(question, sentence, "public", "planning", "appeal") is None


def test_no_verdict_when_a_meaningful_stop_word_is_missing() -> None:
    sentence = "She grew up at Alder Lodge, a farmhouse rented from the bishop's family estate."
    assert verdict("Did her family own the farmhouse?", sentence, "family") is None


def test_a_choice_between_options_gets_no_verdict() -> None:
    assert is_alternative("Was the plan seen as brave, or foolish?")
    sentence = "The plan was seen as foolish."
    assert verdict("Was it brave or foolish?", sentence, "brave", "foolish") is None


def test_a_negation_before_a_full_stop_answers_something_else() -> None:
    sentence = "No. But of course she does paint, on quiet days, strikingly bleak landscapes."
    assert verdict("Does she paint bleak landscapes?", sentence, "paint", "bleak") == "yes"


def test_asking_what_someone_feels_asks_the_fact_itself() -> None:
    sentence = "It's really a workshop where neighbours share all their old tools."
    assert verdict("Does he feel the shed is a workshop?", sentence, "workshop") == "yes"


def test_a_hedge_in_a_relative_clause_of_its_own_does_not_open_the_statement() -> None:
    sentence = "The letters don't contain any further hints that could explain the fire."
    assert verdict("Did the letters have hints?", sentence, "letters", "hints") == "no"


def test_a_word_counts_as_its_dictionary_form() -> None:
    # The stemmer keeps "children" and "child", "flown" and "flew" apart; the lemmas join them.
    sentence = "Years later the couple adopted a child from the orphanage in Brno."
    assert verdict("Do they have any children?", sentence, "children") == "yes"
    sentence = "The pilots flew the damaged jet to Oslo that night."
    assert verdict("Was the jet flown to Oslo?", sentence, "jet", "flown", "Oslo") == "yes"


def test_a_word_written_apart_counts_as_the_word_written_together() -> None:
    sentence = "That summer the family hired a baby sitter from the village."
    assert verdict("Did they hire a babysitter?", sentence, "hire", "babysitter") == "yes"


def test_at_the_time_frames_the_question_rather_than_asking_about_time() -> None:
    sentence = "The blast shook the square, where the town was holding its yearly parade."
    question = "Was a parade being held at the time?"
    assert verdict(question, sentence, "parade", "held", "time") == "yes"


def test_the_questions_own_hedge_is_not_asked_of_the_sentence() -> None:
    sentence = "Officers said they found no evidence of racing on the bridge."
    question = "Did it look like they might have been racing?"
    assert verdict(question, sentence, "look", "like", "might", "racing") == "no"


def test_would_be_in_reported_speech_is_the_future_as_told() -> None:
    sentence = "Further cuts would be forthcoming in the spring, the minister said."
    assert verdict("Were further cuts forthcoming?", sentence, "cuts", "forthcoming") == "yes"
    # Without a speaker it stays open; "would have" stays a hypothetical even when reported.
    sentence = "Further cuts would be forthcoming in a worse spring."
    assert verdict("Were further cuts forthcoming?", sentence, "cuts", "forthcoming") is None
    sentence = "A judge would have ruled on the appeal, the lawyer said."
    assert verdict("Did a judge rule on the appeal?", sentence, "judge", "ruled", "appeal") is None


def test_all_must_be_said_when_it_is_asked() -> None:
    # "Sung all in French?" asks for all of it; the sentence gives French among others.
    sentence = "The choir sang the anthem in both French and Dutch."
    question = "Was the anthem sung all in French?"
    assert verdict(question, sentence, "anthem", "sung", "French") is None


def test_a_pointed_at_noun_may_be_called_it() -> None:
    # "This storm" is the one the conversation is about; the sentence calls it "it".
    sentence = "It was the worst in four decades, forecasters said on Friday."
    question = "Was this storm the worst in decades?"
    assert verdict(question, sentence, "storm", "worst", "decades") == "yes"
    assert verdict("Was the storm the worst in decades?", sentence, "storm", "worst") is None


def test_of_its_kind_frames_the_question() -> None:
    sentence = "The bridge was the first to span the gorge in a single arch."
    assert (
        verdict("Was the bridge the first of its kind?", sentence, "bridge", "first", "kind")
        == "yes"
    )


def test_a_question_thinned_by_its_framing_gets_no_yes_from_a_mere_mention() -> None:
    question = "Did it look like they might have been racing?"
    slots = ("look", "like", "might", "racing")
    sentence = "The club is known for its members' love of racing on weekends."
    assert verdict(question, sentence, *slots) is None
    sentence = "Police found no sign of racing on the wet road."
    assert verdict(question, sentence, *slots) == "no"


def test_their_thing_is_not_his_thing() -> None:
    sentence = "Complaints about his wages had been growing for months, he said."
    question = "Were there complaints about their wages?"
    assert verdict(question, sentence, "complaints", "wages") is None
    assert (
        verdict("Were there complaints about his wages?", sentence, "complaints", "wages") == "yes"
    )


def test_a_nationality_says_which_country() -> None:
    sentence = "Lena Berg became the first Norwegian to win the mountain race."
    assert verdict("Was it a first for her country?", sentence, "first", "country") == "yes"


def test_the_number_sign_is_not_a_negation() -> None:
    sentence = "Their side beat No. 1 ranked Brazil at the old stadium on Sunday."
    assert verdict("Did their side beat Brazil?", sentence, "side", "beat", "Brazil") == "yes"


def test_a_reversing_word_in_the_asked_clause_gives_no_verdict() -> None:
    cases = [
        ("Did Vance testify at the inquiry?", "Vance waived his right to testify at the inquiry."),
        ("Did the mill pay the penalty?", "The mill refused to pay the penalty."),
        ("Did the ferry sink?", "The ferry nearly sank off the cape."),
        ("Was the shelter rebuilt?", "Attempts to rebuild the shelter were abandoned."),
        ("Did the council fall?", "Rumours that the council fell were false."),
        ("Did the flood cause the outage?", "The flood allegedly caused the outage."),
        ("Did the tonic cure the fever?", "The tonic is believed to cure the fever."),
        ("Will the quarry close?", "Should orders fall, the quarry will close."),
        ("Will she stand again?", "Moss ruled out standing again."),
        ("Did Lyon host the games?", "Lyon lost the bid to host the games to Oslo."),
    ]
    for question, sentence in cases:
        words = [w for w in question.rstrip("?").split()[1:] if w not in {"the", "at"}]
        assert verdict(question, sentence, *words) is None, sentence


def test_a_reversing_word_in_another_clause_or_asked_leaves_the_verdict() -> None:
    sentence = "Tarn refused to comment before he signed the lease."
    assert verdict("Did he sign the lease?", sentence, "sign", "lease") == "yes"
    sentence = "The guards stopped the van at the border."
    assert verdict("Did the guards stop the van?", sentence, "guards", "stop", "van") == "yes"


def test_a_negation_after_the_asked_words_or_in_another_clause_denies_something_else() -> None:
    sentence = "Rangers found the kayak, not the paddles."
    assert verdict("Did rangers find the kayak?", sentence, "rangers", "find", "kayak") is None
    sentence = "Nobody was injured when the landing succeeded."
    assert verdict("Did the landing succeed?", sentence, "landing", "succeed") is None
    sentence = "The choir sang, but not until the lights came back."
    assert verdict("Did the choir sing?", sentence, "choir", "sing") is None
    sentence = "The vaccine was licensed in Peru but is not licensed in Chile."
    assert verdict("Was the vaccine licensed?", sentence, "vaccine", "licensed") is None
    # Before or among the asked words, in their own clause, it denies them.
    sentence = "When the storm came, the ferry did not sail to the island."
    assert verdict("Did the ferry sail?", sentence, "ferry", "sail") == "no"


def test_a_word_with_two_dictionary_forms_is_not_joined_to_either() -> None:
    # "lay" is "lie" or "lay", "bore" "bear" or "bore": no guess which one is meant.
    sentence = "The driver lay trapped as the medics arrived."
    assert verdict("Did the driver lie to the medics?", sentence, "driver", "lie", "medics") is None
    sentence = "She bore the cost of the trip to Quito."
    assert verdict("Was she born in Quito?", sentence, "born", "Quito") is None
    sentence = "The old barge sank near the pier."
    assert verdict("Did the barge sink?", sentence, "barge", "sink") == "yes"


def test_a_nationality_answers_only_his_country_and_only_right_after_the_asked_word() -> None:
    sentence = "A Chilean skier boycotted the winter games."
    assert verdict("Did the country boycott the games?", sentence, "country", "games") is None
    sentence = "Ona Reed was the first woman to beat a Peruvian and win the climb."
    question = "Was she the first in her country to win?"
    assert verdict(question, sentence, "first", "country", "win") is None
    sentence = "Ona Reed became the first South African to win the climb."
    assert verdict("Was it a first for her country?", sentence, "first", "country") == "yes"


def test_would_be_as_told_answers_only_a_question_about_the_future() -> None:
    sentence = "The shop would be closed by now, the owner said."
    assert verdict("Was the shop closed?", sentence, "shop", "closed") is None
    sentence = "Jurors said the trial would be fair."
    assert verdict("Was the trial fair?", sentence, "trial", "fair") is None
    assert verdict("Will the trial be fair?", sentence, "trial", "fair") == "yes"


def test_a_pointed_at_noun_goes_unsaid_only_where_the_sentence_calls_it_it() -> None:
    sentence = "Dockers walked out over the new shift rota."
    question = "Did these porters walk out over the rota?"
    assert verdict(question, sentence, "porters", "walk", "rota") is None
    sentence = "They walked out over the new shift rota."
    assert verdict(question, sentence, "porters", "walk", "rota") == "yes"


def test_asked_words_ending_the_sentence_without_a_stop() -> None:
    assert verdict("Did the ferry sail?", "The ferry did not sail", "ferry", "sail") == "no"


def test_another_person_in_the_asked_persons_place_gives_no_verdict() -> None:
    def about(question: str, sentence: str, *words: str, referents: tuple[str, ...]) -> object:
        slots = [TOKENIZER.tokenize(w) for w in words]
        return decide(question, sentence, slots, TOKENIZER.tokenize, referents)

    nora = ("Nora Vik",)
    sentence = "Her coach Ida Brun won the cup in May."
    assert about("Did she win the cup?", sentence, "win", "cup", referents=nora) is None
    sentence = "Ida Brun won the cup in May."
    assert about("Did she win the cup?", sentence, "win", "cup", referents=nora) is None
    sentence = "Officers detained his cousin on Monday."
    assert about("Was he detained?", sentence, "detained", referents=("Olaf Sund",)) is None
    sentence = "He lost to Per Dahl, who won by a mile."
    assert about("Did he win?", sentence, "win", referents=("Olaf Sund",)) is None
    # The person named, or the same pronoun, is the subject: the verdict stands.
    sentence = "Vik signed the deal in June."
    assert about("Did she sign the deal?", sentence, "sign", "deal", referents=nora) == "yes"
    sentence = "In June she signed the deal, beating Ida Brun to it."
    assert about("Did she sign the deal?", sentence, "sign", "deal", referents=nora) == "yes"


def test_roles_the_other_way_round_give_no_verdict() -> None:
    question = "Did Arno beat Holt?"
    assert verdict(question, "Holt beat Arno in the semi-final.", "Arno", "beat", "Holt") is None
    assert verdict(question, "Arno beat Holt in the semi-final.", "Arno", "beat", "Holt") == "yes"
    question = "Is Laos bigger than Nepal?"
    sentence = "Nepal is bigger than Laos by that measure."
    assert verdict(question, sentence, "Laos", "bigger", "Nepal") is None
    sentence = "Rents were higher in 2009 than in 2015."
    assert verdict("Were rents higher in 2015?", sentence, "rents", "higher", "2015") is None


def test_asked_words_in_different_clauses_give_no_verdict() -> None:
    sentence = "The siege, which began in 1990, ended in 1993."
    assert verdict("Did the siege end in 1990?", sentence, "siege", "end", "1990") is None
    sentence = "Maps drawn in 1950 were used when the tunnel opened in 1962."
    assert verdict("Was the tunnel opened in 1950?", sentence, "tunnel", "opened", "1950") is None
    # What was said may stand in another clause than the saying.
    sentence = '"She trained hard, but the knee held," the coach said.'
    assert verdict("Did he say that she trained?", sentence, "say", "trained") == "yes"


def test_a_future_or_an_opinion_is_no_statement_of_what_happened() -> None:
    sentence = "The depot will close next spring."
    assert verdict("Did the depot close?", sentence, "depot", "close") is None
    assert verdict("Will the depot close?", sentence, "depot", "close") == "yes"
    assert verdict("Did the depot close?", "The depot will not close.", "depot", "close") == "no"
    sentence = "The board raised fees last year."
    assert verdict("Should the board raise fees?", sentence, "board", "raise", "fees") is None
    # A capital inside the sentence is a name, not a hedge.
    sentence = "The depot closed in May."
    assert verdict("Did the depot close?", sentence, "depot", "close") == "yes"
    sentence = "The depot was due to close in May."
    assert verdict("Did the depot close?", sentence, "depot", "close") is None


def test_part_of_what_is_asked_or_someone_elses_thing_gives_no_verdict() -> None:
    sentence = "All but three of the climbers reached the summit."
    question = "Did all the climbers reach the summit?"
    assert verdict(question, sentence, "climbers", "reach", "summit") is None
    sentence = "Sola was one of only two finalists."
    assert verdict("Was she the only finalist?", sentence, "only", "finalist") is None
    sentence = "His uncle's boat was sunk."
    assert verdict("Was his boat sunk?", sentence, "boat", "sunk") is None
    assert verdict("Was his boat sunk?", "His boat was sunk.", "boat", "sunk") == "yes"


def test_and_before_a_verb_opens_another_statement() -> None:
    sentence = "Ruth rented a van and bought a truck."
    assert verdict("Did she buy a van?", sentence, "buy", "van") is None
    assert verdict("Did she buy a truck?", sentence, "buy", "truck") == "yes"


def test_all_must_cover_the_asked_thing() -> None:
    question = "Were all the huts flooded?"
    sentence = "All the barns and some huts were flooded."
    assert verdict(question, sentence, "huts", "flooded") is None
    assert verdict(question, "All of the huts were flooded.", "huts", "flooded") == "yes"
    assert verdict(question, "The huts were all flooded.", "huts", "flooded") == "yes"


def test_not_yet_denies_and_an_owner_of_the_subject_is_not_the_subject() -> None:
    sentence = "The blight has not yet reached Kent."
    assert verdict("Has the blight reached Kent?", sentence, "blight", "reached", "Kent") == "no"
    sentence = "The bishop's chauffeur was detained on Sunday."
    assert verdict("Was the bishop detained?", sentence, "bishop", "detained") is None
    sentence = "The tenants' rents were raised in June."
    assert (
        verdict("Were the tenants' rents raised?", sentence, "tenants", "rents", "raised") == "yes"
    )


def test_a_named_subject_standing_after_the_asked_verb_gets_no_verdict() -> None:
    # The sentence says what Okafor has not done, and names Ruiz only as whom it was about.
    sentence = "Okafor, who has not written any letters about her trip with Ruiz, spoke on Monday."
    assert verdict("Did Ruiz write about it?", sentence, "Ruiz", "write") is None
    # Where the name is the subject, or the doer a passive names, the fact is stated.
    assert (
        verdict(
            "Did Ruiz write a letter?", "Ruiz wrote a letter on Monday.", "Ruiz", "write", "letter"
        )
        == "yes"
    )
    passive = "The letter was written by Ruiz on Monday."
    assert verdict("Did Ruiz write the letter?", passive, "Ruiz", "write", "letter") == "yes"
    # "Was Ruiz arrested?" has it done to Ruiz: the name after the verb is right there.
    assert (
        verdict("Was Ruiz arrested?", "Police arrested Ruiz on Monday.", "Ruiz", "arrested")
        == "yes"
    )
