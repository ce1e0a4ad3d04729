"""How many: killed, injured and arrested, read the way ACLED's coders read them.

A count is a number attached to the victims of a casualty word ("killed 12 people", "five
soldiers were wounded", "dozens were arrested", "left three dead"). Vague plurals take ACLED's
conservative values ("dozens" = 12); bounds keep the stated figure ("at least 12" = 12); a range
keeps its low end (the figure written first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from sitrep.lexicon import yaml_data
from sitrep.models import Event, Evidence

CASUALTY_LEMMAS = {
    "kill": "fatalities",
    "die": "fatalities",
    "dead": "fatalities",
    "death": "fatalities",
    "fatality": "fatalities",
    "body": "fatalities",
    "murder": "fatalities",
    "slay": "fatalities",
    "behead": "fatalities",
    "execute": "fatalities",
    "massacre": "fatalities",
    "lynch": "fatalities",
    "lose": "fatalities",
    "injure": "injured",
    "wound": "injured",
    "hurt": "injured",
    "injury": "injured",
    "injured": "injured",
    "wounded": "injured",
    "casualty": "injured",
    "arrest": "arrested",
    "detain": "arrested",
    "apprehend": "arrested",
    "jail": "arrested",
    "round": "arrested",
    "custody": "arrested",
    "imprison": "arrested",
    "arrested": "arrested",
}
VICTIM_DEPS = {"dobj", "nsubjpass", "nsubj", "attr", "pobj", "appos"}
DIGITS = re.compile(r"^\d[\d,]*$")


@dataclass(frozen=True)
class Count:
    """One figure read from a sentence, with the span it came from."""

    field: str
    value: int
    start: int
    end: int
    anchor: int  # token index of the casualty word, to attach the count to an event


@cache
def number_words() -> dict[str, int]:
    """Number words ("twelve") and vague plurals ("dozens") with their values."""
    data = yaml_data("numbers.yaml")
    return {**data["words"], **data["vague"]}


@cache
def unspecified() -> tuple[int, frozenset[str]]:
    """The value given to unnumbered plural victims, and the words that mark them."""
    data = yaml_data("numbers.yaml")
    return int(data["unspecified_plural"]), frozenset(data["unspecified_words"])


@cache
def person_nouns() -> frozenset[str]:
    """Singular nouns for one person ("man", "guard"): a victim named so counts one."""
    return frozenset(yaml_data("numbers.yaml")["person_nouns"])


@cache
def max_count() -> int:
    """The largest figure read as a count; larger numbers are not casualty figures."""
    return int(yaml_data("numbers.yaml")["max_count"])


def token_value(token: Token) -> int | None:
    """The integer a single token stands for, if any ("12", "1,200", "twelve", "dozens")."""
    text = token.lower_
    if DIGITS.match(text):
        value = int(text.replace(",", ""))
        return value if value <= max_count() else None
    if "-" in text:  # twenty-five
        parts = [number_words().get(p) for p in text.split("-")]
        if all(p is not None for p in parts):
            return sum(p for p in parts if p is not None)
    return number_words().get(text) if token.pos_ in {"NUM", "NOUN", "DET", "ADJ"} else None


def number_of(noun: Token) -> tuple[int, Token] | None:
    """The figure a victim noun carries: its own value, a numeric modifier, or its article."""
    if noun.lower_ in {"nobody", "none", "no-one"}:
        return 0, noun
    own = token_value(noun)
    if own is not None and noun.lower_ not in {"a", "an", "one"}:
        return own, noun
    numbers = [c for c in noun.children if c.dep_ in {"nummod", "quantmod"} and token_value(c)]
    if numbers:
        first = numbers[0]
        return hyphenated_value(first), first
    for child in noun.children:
        if (
            child.dep_ == "det"
            and child.lower_ in {"a", "an", "one"}
            and noun.tag_ in {"NN", "NNP"}
        ):
            return 1, child
    if noun.lower_ in {"one", "someone", "somebody", "him", "her"}:
        return 1, noun
    if noun.tag_ == "NN" and noun.pos_ == "NOUN" and noun.lower_ in person_nouns():
        return 1, noun  # "the man", "their bodyguard": one person
    if noun.tag_ in {"NNS", "NNPS"} and any(c.lower_ in unspecified()[1] for c in noun.children):
        return unspecified()[0], noun
    return None


def hyphenated_value(token: Token) -> int:
    """ "Twenty-five" is split by the tokenizer into twenty / - / five: add the tens back."""
    value = token_value(token) or 0
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and value < 10:
        tens = token_value(doc[token.i - 2])
        if tens is not None and tens % 10 == 0 and 20 <= tens <= 90:
            return tens + value
    return value


def victims_of(word: Token) -> list[Token]:
    """The nouns whose number a casualty word counts, with their conjuncts."""
    if word.pos_ in {"VERB", "AUX"}:
        heads = [c for c in word.children if c.dep_ in {"dobj", "nsubjpass"}]
        if word.lemma_ in {"die", "dead"} or not heads:
            heads += [
                c for c in word.children if c.dep_ == "nsubj" and word.lemma_ in {"die", "lose"}
            ]
        if word.dep_ in {"acl", "amod", "relcl"}:
            heads.append(word.head)
    elif word.pos_ == "ADJ":  # "12 dead", "three people were injured" parsed as ADJ
        heads = [c for c in word.children if c.dep_ in {"nsubj", "npadvmod", "nummod"}]
        if word.dep_ in {"amod", "oprd", "acomp"} and word.head.pos_ in {"NOUN", "NUM"}:
            heads.append(word.head)
        if word.dep_ in {"acomp", "oprd"}:
            heads += [c for c in word.head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
    elif word.lemma_ == "death" and word.head.lower_ == "to" and word.head.head.pos_ == "VERB":
        verb = word.head.head  # "three guards were hacked to death"
        heads = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    else:  # nouns: "12 deaths", "the death toll rose to 12" is left to the model's NUM
        heads = [word]
    victims: list[Token] = []
    for head in heads:
        victims.append(head)
        victims.extend(t for t in head.conjuncts if t.pos_ in {"NOUN", "NUM", "PROPN"})
    return victims


def counts_in(sentence: Span) -> list[Count]:
    """Every killed/injured/arrested figure in one sentence."""
    found: list[Count] = []
    for word in sentence:
        field = CASUALTY_LEMMAS.get(word.lemma_.lower()) or CASUALTY_LEMMAS.get(word.lower_)
        if field is None or (word.lemma_ == "round" and not has_particle(word, "up")):
            continue
        total, spans = 0, []
        victims = victims_of(word)
        if len(victims) > 1:  # "killed three traders. 3 fatalities" parsed as one clause
            victims = [v for v in victims if v.i == word.i or v.lemma_ not in CASUALTY_LEMMAS]
        for victim in victims:
            figure = number_of(victim)
            if figure is None:
                continue
            value, token = figure
            if negated_quantity(victim):
                value = 0
            total += value
            spans.append(token)
        if spans:
            start = min(t.idx for t in [*spans, word])
            end = max(t.idx + len(t) for t in [*spans, word])
            found.append(Count(field, total, start, end, word.i))
    return found


def has_particle(word: Token, particle: str) -> bool:
    """A phrasal verb's particle ("round up")."""
    return any(c.dep_ == "prt" and c.lower_ == particle for c in word.children)


def negated_quantity(victim: Token) -> bool:
    """ "No one was killed", "no casualties"."""
    return victim.lower_ in {"none", "nobody", "no-one"} or any(
        c.lower_ == "no" and c.dep_ == "det" for c in victim.children
    )


# --- figures outside the event's sentence --------------------------------------------------

# Plover types whose events take casualty figures stated in a sentence of their own. Not
# protests: a death a protest names is mostly its cause ("against the killing of ...").
COUNTED_TYPES = {"ASSAULT", "COERCE"}


@cache
def stated_fatality_patterns() -> tuple[re.Pattern[str], ...]:
    """Patterns of a figure the note states as the one coded (numbers.yaml)."""
    return tuple(
        re.compile(p, re.IGNORECASE) for p in yaml_data("numbers.yaml")["stated_fatalities"]
    )


def stated_fatalities(text: str) -> int | None:
    """The fatality figure a note says was coded ("Fatalities coded as 0 (X reported 1)")."""
    for pattern in stated_fatality_patterns():
        found = pattern.search(text)
        if found:
            return int(found.group(1))
    return None


def attach_report_counts(doc: Doc, events: list[Event]) -> None:
    """Figures the report gives in sentences of their own ("Two men died.", "2 fatalities.")
    belong to the event told before them; a figure repeated there is not added again (the
    larger is kept), and a figure the note says was coded overrides the others."""
    counted = [e for e in events if e.plover_type in COUNTED_TYPES]
    if not counted:
        return
    for sentence in doc.sents:
        if any(sentence.start_char <= e.trigger_start < sentence.end_char for e in events):
            continue  # the event stage gave this sentence's figures to its own events
        before = [e for e in counted if e.trigger_start < sentence.start_char]
        if not before:
            continue
        event = before[-1]
        for count in counts_in(sentence):
            current = getattr(event, count.field)
            if current is None or count.value > current:
                setattr(event, count.field, count.value)
                event.evidence = [e for e in event.evidence if e.field != count.field]
                event.evidence.append(
                    Evidence(count.field, sentence.text, count.start, count.end)
                )
    share_within_sentences(counted)
    stated = stated_fatalities(doc.text)
    if stated is not None:
        for event in counted:
            event.fatalities = stated


def share_within_sentences(events: list[Event]) -> None:
    """Two triggers of one incident in a sentence ("shot at a bus, killing 8 passengers") are
    one event told twice: the one without a figure takes the other's (never added together)."""
    for field in ("fatalities", "injured", "arrested"):
        for event in events:
            if getattr(event, field) is not None:
                continue
            same = [
                getattr(o, field)
                for o in events
                if o is not event
                and o.acled_event_type == event.acled_event_type
                and getattr(o, field) is not None
                and same_sentence(o, event)
            ]
            if same:
                setattr(event, field, max(same))


def same_sentence(one: Event, other: Event) -> bool:
    """Whether two events' evidence for their type comes from the same sentence."""
    first = next((e.sentence for e in one.evidence if e.field == "plover_type"), None)
    second = next((e.sentence for e in other.evidence if e.field == "plover_type"), None)
    return first is not None and first == second
