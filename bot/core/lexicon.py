"""Word knowledge for reading questions: general English, plus the articles' acronyms.

Country names and their adjectives ("Malian" is about Mali), number words and digits ("two"
is 2), irregular forms the stemmer cannot join ("went" is "go"), a small general thesaurus,
and the articles' acronyms as the index learned them. Each earns its place by a gain on data
it was not written for (``python -m bench.ablate``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping

from bot.core.questions import Terms
from retrieval.acronyms import Acronyms

# Country (or region) and its adjectives / nationality nouns.
_DEMONYM_TABLE = """
Afghanistan:Afghan Albania:Albanian Algeria:Algerian Angola:Angolan Argentina:Argentine,
Argentinian Armenia:Armenian Australia:Australian Austria:Austrian Azerbaijan:Azerbaijani
Bangladesh:Bangladeshi Belarus:Belarusian Belgium:Belgian Benin:Beninese Bolivia:Bolivian
Bosnia:Bosnian Brazil:Brazilian Britain:British,Briton Bulgaria:Bulgarian Burundi:Burundian
Cambodia:Cambodian Cameroon:Cameroonian Canada:Canadian Chad:Chadian Chile:Chilean
China:Chinese Colombia:Colombian Congo:Congolese Croatia:Croatian Cuba:Cuban Cyprus:Cypriot
Czechia:Czech Denmark:Danish,Dane Egypt:Egyptian Eritrea:Eritrean Estonia:Estonian
Ethiopia:Ethiopian Europe:European Finland:Finnish,Finn France:French,Frenchman,Frenchmen
Gabon:Gabonese Gambia:Gambian Georgia:Georgian Germany:German Ghana:Ghanaian Greece:Greek
Guatemala:Guatemalan Guinea:Guinean Haiti:Haitian Hungary:Hungarian Iceland:Icelandic
India:Indian Indonesia:Indonesian Iran:Iranian Iraq:Iraqi Ireland:Irish Israel:Israeli
Italy:Italian Japan:Japanese Jordan:Jordanian Kazakhstan:Kazakh Kenya:Kenyan Korea:Korean
Kosovo:Kosovar Kuwait:Kuwaiti Latvia:Latvian Lebanon:Lebanese Liberia:Liberian Libya:Libyan
Lithuania:Lithuanian Madagascar:Malagasy Malawi:Malawian Malaysia:Malaysian Mali:Malian
Mauritania:Mauritanian Mexico:Mexican Moldova:Moldovan Mongolia:Mongolian
Morocco:Moroccan Mozambique:Mozambican Myanmar:Burmese Namibia:Namibian Nepal:Nepali,Nepalese
Netherlands:Dutch Nicaragua:Nicaraguan Niger:Nigerien Nigeria:Nigerian Norway:Norwegian
Pakistan:Pakistani Palestine:Palestinian Panama:Panamanian Peru:Peruvian
Philippines:Filipino,Philippine Poland:Polish,Pole Portugal:Portuguese Qatar:Qatari
Romania:Romanian Russia:Russian Rwanda:Rwandan Senegal:Senegalese Serbia:Serbian
Singapore:Singaporean Slovakia:Slovak Slovenia:Slovenian Somalia:Somali Spain:Spanish,Spaniard
Sudan:Sudanese Sweden:Swedish,Swede Switzerland:Swiss Syria:Syrian Taiwan:Taiwanese
Tanzania:Tanzanian Thailand:Thai Togo:Togolese Tunisia:Tunisian Turkey:Turkish,Turk
Uganda:Ugandan Ukraine:Ukrainian Uruguay:Uruguayan Venezuela:Venezuelan Vietnam:Vietnamese
Yemen:Yemeni Zambia:Zambian Zimbabwe:Zimbabwean Africa:African Asia:Asian America:American
Arabia:Arab,Arabian Scotland:Scottish,Scot England:English Wales:Welsh Sahel:Sahelian
Sahara:Saharan Rome:Roman Paris:Parisian London:Londoner Berlin:Berliner
"""


def _demonyms() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for entry in _DEMONYM_TABLE.replace(",\n", ",").split():
        place, adjectives = entry.split(":")
        names = [place, *adjectives.split(",")]
        for name in names:
            out.setdefault(name.lower(), set()).update(n.lower() for n in names if n != name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


DEMONYMS: Mapping[str, tuple[str, ...]] = _demonyms()
# The nationality words alone ("French", "Malian"): an adjective, never a person's name.
NATIONALITIES = frozenset(
    name.lower()
    for entry in _DEMONYM_TABLE.replace(",\n", ",").split()
    for name in entry.split(":")[1].split(",")
)
# Irregular forms the stemmer cannot join ("lost" and "lose" stem differently): the same word,
# so a form counts fully, unlike a synonym.
FORMS: tuple[tuple[str, ...], ...] = (
    ("lose", "lost", "losing"),
    ("take", "took", "taken"),
    ("go", "went", "gone"),
    ("make", "made"),
    ("give", "gave", "given"),
    ("begin", "began", "begun"),
    ("fight", "fought"),
    ("lead", "led"),
    ("hold", "held"),
    ("send", "sent"),
    ("spend", "spent"),
    ("pay", "paid"),
    ("rise", "rose", "risen"),
    ("see", "saw", "seen"),
    ("write", "wrote", "written"),
    ("bring", "brought"),
    ("think", "thought"),
    ("come", "came"),
    ("become", "became"),
    ("win", "won"),
    ("buy", "bought"),
    ("sell", "sold"),
    ("leave", "left"),
    ("meet", "met"),
    ("build", "built"),
    ("teach", "taught"),
    ("catch", "caught"),
    ("choose", "chose", "chosen"),
    ("speak", "spoke", "spoken"),
    ("break", "broke", "broken"),
    ("fall", "fell", "fallen"),
    ("grow", "grew", "grown"),
    ("know", "knew", "known"),
    ("die", "dead", "death"),
    ("kill", "killed"),
    ("north", "northern"),
    ("south", "southern"),
    ("east", "eastern"),
    ("west", "western"),
)
# A title and its abbreviation before a name: "Dr. Ana Ruiz" is a doctor. Only for the word
# in lower case: a capitalised one is part of a name ("Doctor Marvello"). Not "general": in lower
# case it is mostly the adjective ("a general election").
TITLES: tuple[tuple[str, str], ...] = (
    ("doctor", "dr"),
    ("senator", "sen"),
    ("governor", "gov"),
    ("representative", "rep"),
    ("professor", "prof"),
    ("sergeant", "sgt"),
    ("lieutenant", "lt"),
    ("colonel", "col"),
    ("captain", "capt"),
)
# The verbs of saying in every form a question or a news sentence uses them: a closed list,
# so that reading "Who said ...?" needs no dictionary. The past forms name a speaker beside
# them ("..., *said* Ada Reyes"; "Ada Reyes *added*").
SAYING_VERBS = frozenset(
    """say says said tell tells told state states stated claim claims claimed add adds added
    explain explains explained announce announces announced declare declares declared insist
    insists insisted reply replies replied admit admits admitted respond responds
    responded""".split()
)
# Verbs by which a sentence reports what someone said ("he said", "she told reporters"), or
# whose object may be quoted words ("What did she write?"): the saying verbs but their -s
# forms, most of them nouns too ("What states ...?").
SPEECH_VERBS = frozenset(w for w in SAYING_VERBS if w == "says" or not w.endswith("s")) | frozenset(
    "write wrote ask asked call called".split()
)
SPEAKER_VERBS = ("said", "says", "added", "explained", "stated", "claimed")
_TITLE_OF = dict(TITLES)
_FORMS_OF = {word: tuple(f for f in group if f != word) for group in FORMS for word in group}


def irregular_forms(word: str) -> tuple[str, ...]:
    """Other forms of an irregular word the stemmer cannot join: "held" -> ("hold",)."""
    return _FORMS_OF.get(word.lower(), ())


def demonym_forms(word: str) -> tuple[str, ...]:
    """The country of a nationality word and back: "Russians" -> ("russia", "russian")."""
    lowered = word.lower()
    found = DEMONYMS.get(lowered)
    if found is None and lowered.endswith("s") and lowered[:-1] in DEMONYMS:
        found = DEMONYMS[lowered[:-1]]  # "Russians", "Malians"
    return found or ()


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_VALUES: Mapping[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
    "dozen": 12,
    "a dozen": 12,
}
_SCALES: Mapping[str, int] = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_ORDINALS: Mapping[str, str] = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}


def number_forms(word: str) -> tuple[str, ...]:
    """The same number written the other way: "two" -> ("2",), "12" -> ("twelve", "dozen")."""
    lowered = word.lower()
    if lowered in NUMBER_VALUES:
        return (str(NUMBER_VALUES[lowered]),)
    if lowered in _ORDINALS:
        return (_ORDINALS[lowered],)
    # isdecimal and ASCII: "²" and "⑸" count as digits to isdigit() but int() refuses them.
    if lowered.isascii() and lowered.isdecimal() and not lowered.startswith("0"):
        value = int(lowered)
        words = tuple(w for w, v in NUMBER_VALUES.items() if v == value and " " not in w)
        ordinal = next((w for w, o in _ORDINALS.items() if o == lowered), None)
        return words + ((ordinal,) if ordinal else ())
    found = next((w for w, o in _ORDINALS.items() if o == lowered), None)
    return (found,) if found else ()


_NUMBER_WORD = "|".join(sorted([*NUMBER_VALUES, *_SCALES], key=len, reverse=True))
_WORDED_NUMBER = re.compile(
    rf"\b(?:\d+(?:\.\d+)?|{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*\b",
    re.IGNORECASE,
)
_SPACED_THOUSANDS = re.compile(r"\b(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)\b")
_SUFFIXED = re.compile(r"\b(\d+(?:\.\d+)?)\s?([kKmM])\b")


def _value(words: list[str]) -> float | None:
    """The value of a spelled-out number ("twelve thousand" -> 12000), None if not one."""
    total, current, seen_scale = 0.0, 0.0, False
    for word in words:
        lowered = word.lower()
        if lowered == "and":
            continue
        if lowered in _SCALES:
            current = (current or 1) * _SCALES[lowered]
            if _SCALES[lowered] >= 1000:
                total, current = total + current, 0.0
            seen_scale = True
        elif lowered in NUMBER_VALUES:
            current += NUMBER_VALUES[lowered]
        else:
            try:
                current += float(lowered)
            except ValueError:
                return None
    return (total + current) if seen_scale else None


def normalize_numbers(text: str) -> str:
    """Numbers written as the articles' tokenizer reads them: digits, no spaces or suffixes.

    "twelve thousand" -> "12000", "12 000" -> "12000", "12k" -> "12000", "1.5 million" stays
    (the articles write it that way too). Other text is unchanged.
    """
    text = _SPACED_THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)
    text = _SUFFIXED.sub(
        lambda m: _digits(float(m.group(1)) * (1000 if m.group(2) in "kK" else 10**6)), text
    )

    def spelled(match: re.Match[str]) -> str:
        words = match.group(0).replace("-", " ").split()
        if len(words) < 2 or (words[-1].lower() == "million" and "." in words[0]):
            return match.group(0)
        value = _value(words)
        return match.group(0) if value is None else _digits(value)

    return _WORDED_NUMBER.sub(spelled, text)


def _digits(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


# Words with the same meaning for a question's purposes: a question says "start", the article
# "initiated". General English, searched alongside the question's own word; kept small because
# every synonym also brings in sentences that use it in another sense.
THESAURUS: tuple[tuple[str, ...], ...] = (
    ("start", "begin", "began", "initiate", "launch", "inception", "commence", "establish"),
    ("end", "finish", "conclude", "complete", "terminate"),
    ("die", "died", "dead", "death", "kill", "killed", "lives", "fatalities", "casualties", "toll"),
    ("leave", "left", "depart", "departure", "withdraw", "withdrawal", "exit", "pull"),
    ("ask", "request", "demand"),
    ("give", "relinquish", "surrender", "abandon", "cede"),
    ("admit", "acknowledge", "concede", "confess"),
    ("say", "said", "tell", "told", "announce"),
    ("want", "wanted", "need", "necessity", "require"),
    ("buy", "bought", "purchase", "acquire"),
    ("build", "built", "construct", "construction"),
    ("win", "won", "defeat", "victory"),
    ("born", "birth"),
    ("soldiers", "troops", "forces"),
    ("lead", "leads", "led", "leader", "head", "heads", "chief", "commander"),
    ("plan", "intend", "intended", "intention"),
    ("stay", "remain", "remained"),
    ("large", "vast", "huge", "big"),
    ("increase", "rise", "rose", "grow", "grew", "surge"),
    ("decrease", "fall", "fell", "decline", "drop"),
    ("happen", "occur", "occurred"),
    ("help", "aid", "assist", "support"),
    ("attack", "assault", "raid"),
    ("fight", "battle", "combat", "clash"),
    ("choose", "chose", "select", "elect"),
    ("allow", "permit", "let"),
    ("stop", "halt", "cease"),
    ("try", "attempt"),
    ("invent", "devise", "design"),
    ("sell", "sold"),
    ("meet", "met", "meeting"),
    ("arrest", "detain", "capture"),
    ("cause", "caused", "prompt", "prompted", "trigger"),
)


_SENTENCES_KEPT = 4096  # sentences whose terms are remembered: a few long articles' worth


class Lexicon:
    """The tokenizer's view of words, the thesauri in index terms and the articles' acronyms.

    Built once per index. ``acronyms`` is what the index learned of the articles' acronyms
    ("United Nations" is "UN" there); without it no acronyms are known. No I/O.
    """

    def __init__(
        self,
        terms: Terms,
        acronyms: Acronyms | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        self.terms = terms
        # Whether the articles hold an index term; unknown (None): assume they do.
        self.known = known
        self._groups = [({t for w in g for t in terms(w)}, g) for g in THESAURUS]
        self._word_terms = {w: frozenset(terms(w)) for g in THESAURUS for w in g}
        self.acronyms = acronyms if acronyms is not None else Acronyms()
        # A conversation ranks the same article's sentences question after question.
        self.sentence_terms = functools.lru_cache(maxsize=_SENTENCES_KEPT)(self._sentence_terms)

    def _sentence_terms(self, sentence: str) -> frozenset[str]:
        """Every index term of a sentence (cached: see ``sentence_terms``)."""
        return frozenset(self.terms(sentence))

    def forms(self, word: str) -> tuple[str, ...]:
        """The same word written otherwise: "lost" -> "lose", "French" -> "France", "two" -> "2"."""
        lowered = word.lower()
        found = _FORMS_OF.get(lowered, ()) + demonym_forms(lowered) + number_forms(lowered)
        if word in _TITLE_OF:
            found += (_TITLE_OF[word],)
        # Comparative and superlative of -y adjectives stem apart ("deadlier", "deadliest").
        for ending, others in (("iest", ("ier", "y")), ("ier", ("iest", "y"))):
            if lowered.endswith(ending) and len(lowered) > len(ending) + 2:
                base = lowered[: -len(ending)]
                found += tuple(base + o for o in others)
        return found

    def synonyms(self, word: str, own: frozenset[str]) -> frozenset[str]:
        """Thesaurus words that mean what ``word`` means, other than the word itself."""
        lowered = word.lower()
        found: set[str] = set()
        for group_terms, group in self._groups:
            if lowered in group or own & group_terms:
                found.update(w for w in group if not self._word_terms[w] <= own)
        return frozenset(found)

    def synonym_terms(self, synonyms: Iterable[str]) -> frozenset[str]:
        """The index terms of some thesaurus words."""
        return frozenset(t for w in synonyms for t in self._word_terms.get(w, ()))
