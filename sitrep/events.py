"""What happened: event triggers on the dependency parse, their type, mode, actors and counts.

A trigger is a verb or noun whose lemma is in triggers.csv (with its requirements met). Its
PLOVER type comes from that table, its CAMEO root from plover.csv and its ACLED types from the
ordered rules of acled_rules.csv. Actors, places, dates and counts are decided by their own
modules; this one only points them at the right words and records the evidence.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from sitrep import actors, counts, geo, nlp, temporal
from sitrep.lexicon import csv_rows, yaml_data
from sitrep.models import Actor, Event, Evidence, Location, Report

NON_PARTICIPANT_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
MILITARY_TYPES = {"ASSAULT", "RETREAT", "MOBILIZE"}
NON_STATE_SECTORS = {"INS", "REB", "UAF", "ETH", "PMIL", "CRM"}
TARGET_PREPS = {"on", "against", "with", "to", "at", "targeting", "into"}
SUBJECT_DEPS = {"nsubj", "csubj"}
MODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod", "poss"}
PREFERRED_COUNT_TYPE = {"fatalities": "ASSAULT", "injured": "ASSAULT", "arrested": "COERCE"}
QUALIFIER_PRIORITY = ["chemical", "suicide", "air", "shelling", "explosive", "grenade", "destroy"]


@dataclass(frozen=True)
class TriggerRule:
    """One row of triggers.csv."""

    lemma: str
    pos: str
    plover_type: str
    qualifier: str
    requires: str


@cache
def trigger_rules() -> dict[str, tuple[TriggerRule, ...]]:
    """Rules by lemma, those with a requirement first so that the specific reading wins."""
    by_lemma: dict[str, list[TriggerRule]] = {}
    for row in csv_rows("triggers.csv"):
        rule = TriggerRule(
            row["lemma"],
            row["pos"],
            row["plover_type"],
            row["qualifier"] or "",
            row["requires"] or "",
        )
        by_lemma.setdefault(rule.lemma, []).append(rule)
    return {k: tuple(sorted(v, key=lambda r: r.requires == "")) for k, v in by_lemma.items()}


@cache
def classes() -> dict[str, frozenset[str]]:
    """Word classes of classes.yaml that are plain lists."""
    data = yaml_data("classes.yaml")
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


@cache
def weapon_qualifiers() -> dict[str, str]:
    """Modifier word -> weapon qualifier ("car" -> explosive)."""
    return dict(yaml_data("classes.yaml")["weapon_qualifiers"])


@cache
def cameo_roots() -> dict[str, str]:
    """PLOVER type -> default CAMEO root code."""
    return {row["plover_type"]: row["cameo_root"] for row in csv_rows("plover.csv")}


@cache
def acled_rules() -> tuple[dict[str, str], ...]:
    """The ordered ACLED mapping rules."""
    return csv_rows("acled_rules.csv")


@cache
def mode_cues() -> dict[str, frozenset[str]]:
    """Cue words for negated, threatened, future and hypothetical events."""
    return {k: frozenset(v) for k, v in yaml_data("modes.yaml").items()}


# --- triggers -----------------------------------------------------------------------------


def lemma_of(token: Token) -> str:
    """Lowercase lemma, falling back to the word for nouns the lemmatiser leaves alone."""
    return token.lemma_.lower()


def pos_matches(rule: TriggerRule, token: Token) -> bool:
    """Whether the token's part of speech fits the rule (VERB, NOUN or ANY)."""
    if rule.pos == "VERB":
        return token.pos_ == "VERB"
    if rule.pos == "NOUN":
        return token.pos_ in {"NOUN", "PROPN"}
    return token.pos_ in {"VERB", "NOUN", "PROPN"}


def match_trigger(token: Token) -> TriggerRule | None:
    """The trigger rule a token satisfies, if any."""
    rules = trigger_rules().get(lemma_of(token)) or trigger_rules().get(token.lower_) or ()
    for rule in rules:
        if pos_matches(rule, token) and requirement_met(token, rule.requires):
            return rule
    return None


def objects(token: Token) -> list[Token]:
    """Direct objects (and "of" complements, through quantities: "dozens of districts")."""
    found = [c for c in token.children if c.dep_ in {"dobj", "attr", "oprd"}]
    if token.pos_ in {"NOUN", "PROPN"}:
        found += [
            g
            for c in token.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children
            if g.dep_ == "pobj"
        ]
    expanded = []
    for obj in found:
        expanded.append(obj)
        expanded.extend(obj.conjuncts)
        expanded += [
            g
            for c in obj.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children
            if g.dep_ == "pobj"
        ]
    return expanded


def in_class(token: Token, name: str) -> bool:
    """Whether a token's lemma is in a word class; places count as territory."""
    if name == "territory" and token.ent_type_ in geo.PLACE_LABELS:
        return True
    return lemma_of(token) in classes().get(name, frozenset()) or token.lower_ in classes().get(
        name, frozenset()
    )


def requirement_met(token: Token, requires: str) -> bool:
    """Check a triggers.csv requirement: conditions joined by "&", each KIND:VALUE where VALUE
    may list alternatives with "|" (obj:, not_obj:, prt:, mod:, subj:, with:, not_head:, or
    no_obj)."""
    return all(condition_met(token, part) for part in requires.split("&") if part)


def condition_met(token: Token, condition: str) -> bool:
    """One condition of a requirement."""
    kind, _, value = condition.partition(":")
    if kind == "no_obj":
        return not any(c.dep_ == "dobj" for c in token.children)
    if kind in {"obj", "not_obj", "mod", "subj"}:
        pools = {
            "obj": objects(token),
            "not_obj": objects(token),
            "mod": [c for c in token.children if c.dep_ in MODIFIER_DEPS],
            "subj": subject_words(token),
        }
        hit = any(in_class(t, name) for t in pools[kind] for name in value.split("|"))
        return not hit if kind == "not_obj" else hit
    if kind == "not_head":  # not a modifier of a noun in the class ("riot police")
        return not (
            token.dep_ in MODIFIER_DEPS
            and any(in_class(token.head, name) for name in value.split("|"))
        )
    words = set(value.split("|"))
    if kind == "prt":
        return any(c.dep_ == "prt" and c.lower_ in words for c in token.children)
    if kind == "with":
        near = [*token.children, token.head, *(g for c in token.children for g in c.children)]
        return any(
            (lemma_of(t) in words or t.lower_ in words) and not is_time_prep(t) for t in near
        )
    return False


def subject_words(token: Token) -> list[Token]:
    """A verb's subject with its conjuncts and "of" complements ("a group of residents",
    "hundreds of workers"), inherited from the clause it hangs on."""
    subject = subject_of(token)
    if subject is None:
        return []
    found = [subject, *subject.conjuncts]
    return found + [
        g
        for t in found
        for c in t.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    ]


def is_time_prep(token: Token) -> bool:
    """A preposition that only introduces a date or time ("on Monday")."""
    objects_ = [c for c in token.children if c.dep_ == "pobj"]
    return (
        token.dep_ == "prep"
        and bool(objects_)
        and all(o.ent_type_ in NON_PARTICIPANT_ENTS for o in objects_)
    )


PROTEST_RULE = TriggerRule("*", "VERB", "PROTEST", "protest", "")


def protester_triggers(sentence: Span, taken: set[int]) -> list[tuple[Token, TriggerRule]]:
    """What protesters do is a protest: "demonstrators blocked the road" is one."""
    nouns = classes()["protester_nouns"]
    found = []
    for token in sentence:
        verb = token.head
        if (
            token.dep_ in SUBJECT_DEPS
            and lemma_of(token) in nouns
            and verb.pos_ == "VERB"
            and verb.i not in taken
        ):
            found.append((verb, PROTEST_RULE))
            taken.add(verb.i)
    return found


def is_grievance(token: Token, heads: set[int]) -> bool:
    """An event named as what a protest or accusation is about ("protest against the arrest
    of journalists", "demanding the release of ...") is a grievance, not an event."""
    preps = classes()["grievance_preps"]
    verbs = classes()["grievance_verbs"]
    node = token
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ == "pobj" and head.lower_ in preps and head.head.i in heads:
            return True
        if lemma_of(head) in verbs and node.dep_ in {"dobj", "xcomp", "ccomp", "pobj"}:
            return True
        node = head
    return False


def find_triggers(sentence: Span) -> list[tuple[Token, TriggerRule]]:
    """Triggers of one sentence, with modifiers folded into their head trigger."""
    found = [(t, r) for t in sentence if (r := match_trigger(t)) is not None]
    found += protester_triggers(sentence, {t.i for t, _ in found})
    found.sort(key=lambda pair: pair[0].i)
    heads = {t.i for t, _ in found}
    found = [(t, r) for t, r in found if not is_grievance(t, heads)]
    types = {t.i: r.plover_type for t, r in found}
    kept = [
        (t, r)
        for t, r in found
        if not (t.dep_ in MODIFIER_DEPS and t.head.i in heads)
        and not (t.dep_ in {"dobj", "attr", "pobj"} and types.get(t.head.i) == r.plover_type)
    ]
    outcome = classes()["outcome_triggers"]
    has_main = any(r.plover_type == "ASSAULT" and lemma_of(t) not in outcome for t, r in kept)
    kept = [(t, r) for t, r in kept if not (has_main and lemma_of(t) in outcome)]
    remaining = {t.i for t, _ in kept}
    kept = [
        (t, r)
        for t, r in kept
        if (r.plover_type == "PROTEST" or not is_circumstance(t, remaining))
        and not is_background(t)
        and not is_description(t, r)
        and not is_protest_demand(t, r, types)
    ]
    return [(t, r) for t, r in kept if not governs_event(t, r, heads)]


def is_background(token: Token) -> bool:
    """A summary of a conflict's history ("have killed thousands since 2009", "over the past
    decade") is background, not an event of the report."""
    clause = [token, *token.children, *(g for c in token.children for g in c.children)]
    for word in clause:
        if word.lower_ == "since" and any(
            g.ent_type_ == "DATE" and any(ch.isdigit() for ch in g.text) for g in word.subtree
        ):
            return True
        if word.ent_type_ == "DATE" and word.lower_ in {"years", "decade", "decades"}:
            return True
    return False


def is_description(token: Token, rule: TriggerRule) -> bool:
    """ "fighters backed by the coalition", "a government-backed delegation" describe an actor."""
    return rule.plover_type == "SUPPORT" and token.dep_ in {"acl", "amod"}


def is_protest_demand(token: Token, rule: TriggerRule, types: dict[int, str]) -> bool:
    """What protesters demand is part of their protest, not a separate request."""
    if rule.plover_type != "REQUEST":
        return False
    if types.get(token.head.i) == "PROTEST":
        return True
    subject = subject_of(token)
    return subject is not None and lemma_of(subject) in classes()["protester_nouns"]


def is_circumstance(token: Token, heads: set[int]) -> bool:
    """A noun trigger that only sets the scene of another ("arrested two men in a raid",
    "killed during the fighting") is part of that event, not a second one."""
    prep = token.head
    return (
        token.dep_ == "pobj"
        and token.pos_ in {"NOUN", "PROPN"}
        and prep.lower_ in {"in", "during", "amid", "after", "following"}
        and prep.head.i in heads
    )


def governs_event(token: Token, rule: TriggerRule, heads: set[int]) -> bool:
    """A THREATEN trigger whose complement is another event is that event's mode, not an event."""
    if rule.plover_type != "THREATEN":
        return False
    return any(c.dep_ in {"xcomp", "ccomp"} and c.i in heads for c in token.children)


# --- roles on the parse --------------------------------------------------------------------


def predicate_of(trigger: Token) -> Token:
    """The verb that carries a noun trigger's arguments ("launched" in "launched an assault")."""
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ in {"dobj", "attr", "pobj", "nsubj"}:
        head = trigger.head
        if head.dep_ == "prep":
            head = head.head
        if lemma_of(head) in classes()["light_verbs"]:
            return head
    return trigger


def subject_of(verb: Token) -> Token | None:
    """A verb's subject, inherited through participles, conjuncts and open complements."""
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            subj = subjects[0]
            if subj.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                return verb.head
            return subj
        if verb.dep_ in {"acl"} and verb.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            return verb.head
        if verb.dep_ == "advcl" and verb.tag_ == "VBG" and comma_before(verb):
            verb = verb.sent.root
            continue
        if verb.dep_ not in {"advcl", "xcomp", "conj", "ccomp", "pcomp"} or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def comma_before(token: Token) -> bool:
    """A participle set off by a comma modifies the main clause ("..., seizing districts")."""
    return token.i > 0 and token.doc[token.i - 1].text == ","


def pobjs(token: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions under a token ("attack on X" -> X); dates and
    quantities ("on 2 May") are never participants."""
    wanted = set(preps)
    return [
        g
        for c in token.children
        if c.dep_ in {"prep", "agent"} and c.lower_ in wanted
        for g in c.children
        if g.dep_ == "pobj" and g.ent_type_ not in NON_PARTICIPANT_ENTS
    ]


def role_tokens(trigger: Token, rule: TriggerRule) -> tuple[Token | None, Token | None]:
    """The tokens naming the doer and the target of an event."""
    agent_prep = yaml_data("classes.yaml")["agent_preps"].get(lemma_of(trigger))
    if agent_prep:
        takers = pobjs(trigger, [agent_prep])
        return (takers[0] if takers else None), None
    if trigger.pos_ == "VERB":
        return verb_roles(trigger)
    return noun_roles(trigger)


def verb_roles(verb: Token) -> tuple[Token | None, Token | None]:
    """Doer and target of a verb trigger, active or passive."""
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    is_passive = bool(passive) or any(c.dep_ == "auxpass" for c in verb.children)
    agents = [agent_behind(a) for a in pobjs(verb, ["by"])] if is_passive else []
    if is_passive and not agents:  # "kidnapped and killed by militants": the agent is shared
        for other in [*verb.conjuncts]:
            agents += [agent_behind(a) for a in pobjs(other, ["by"])]
    if passive or agents:
        return (agents[0] if agents else None), (passive[0] if passive else None)
    subject = subject_of(verb)
    if subject is not None and lemma_of(verb) in classes()["mutual_verbs"] and subject.conjuncts:
        return subject, subject.conjuncts[0]
    targets = [c for c in verb.children if c.dep_ == "dobj"] + pobjs(verb, TARGET_PREPS)
    return subject_of(verb), first_target(targets)


def agent_behind(token: Token) -> Token:
    """The one who used a weapon: "injured by stones thrown by protesters" -> protesters."""
    if lemma_of(token) not in classes()["weapon_nouns"]:
        return token
    for child in token.children:
        if child.dep_ == "acl":
            behind = pobjs(child, ["by"])
            if behind:
                return behind[0]
    return token


def first_target(candidates: list[Token]) -> Token | None:
    """The first candidate target that is not a weapon or a means ("fired with mortars on ...")."""
    means = classes()["weapon_nouns"]
    for token in candidates:
        if not (
            lemma_of(token) in means
            or (
                token.head.lower_ == "with"
                and token.ent_type_ == ""
                and lemma_of(token) not in actor_role_words()
            )
        ):
            return token
    return candidates[0] if candidates else None


def noun_roles(noun: Token) -> tuple[Token | None, Token | None]:
    """Doer and target of a noun trigger: possessor, modifier, "by", or its light verb's subject."""
    if lemma_of(noun) in classes()["remains"]:  # "the bodies of two men": the victims
        victims = pobjs(noun, ["of"])
        return None, (victims[0] if victims else None)
    between = pobjs(noun, ["between"])
    if between:
        other = between[0].conjuncts
        return between[0], (other[0] if other else None)
    doer = next((c for c in noun.children if c.dep_ == "poss"), None)
    if doer is None:
        doer = next((c for c in noun.children if c.dep_ == "compound" and is_actorish(c)), None)
    if doer is None:
        doer = next(iter(pobjs(noun, ["by", "of"])), None)
    if doer is None:  # "operations carried out by the gendarmerie"
        for child in noun.children:
            if child.dep_ == "acl" and pobjs(child, ["by"]):
                doer = agent_behind(pobjs(child, ["by"])[0])
                break
    predicate = predicate_of(noun)
    if doer is None and predicate.i != noun.i:
        doer = subject_of(predicate)
    targets = pobjs(noun, TARGET_PREPS) + (
        pobjs(predicate, TARGET_PREPS) if predicate.i != noun.i else []
    )
    return doer, first_target(targets)


def is_actorish(token: Token) -> bool:
    """A modifier that can name a doer: an organisation, a nationality or a role word."""
    return (
        token.ent_type_ in {"ORG", "NORP", "PERSON", "GPE"} or lemma_of(token) in actor_role_words()
    )


@cache
def actor_role_words() -> frozenset[str]:
    """Single-word role terms, for "police raid" or "army offensive"."""
    return frozenset(term for term in actors.roles() if " " not in term)


# --- qualifiers and modes ----------------------------------------------------------------


CLAUSE_DEPS = {"ccomp", "advcl", "conj", "xcomp", "relcl", "parataxis", "acl", "cc"}


def same_clause(token: Token) -> bool:
    """Whether a dependent stays in its head's clause (a conjoined noun does, a verb does not)."""
    if token.dep_ == "conj":
        return token.pos_ not in {"VERB", "AUX"}
    return token.dep_ not in CLAUSE_DEPS


def qualifier_words(trigger: Token) -> set[str]:
    """Words of the trigger's own clause that can name a weapon: its modifiers, subject and
    objects, but not other clauses ("torched cars and attacked shops") nor proper names
    ("Bagram Air Base"); a noun trigger also sees its light verb's dependents."""
    words = {lemma_of(trigger), trigger.lower_}
    if trigger.dep_ in {"acl", "relcl"}:  # "an IED targeting a patrol": the IED is the means
        words.update({lemma_of(trigger.head), trigger.head.lower_})
    roots = [trigger]
    predicate = predicate_of(trigger)
    if predicate.i != trigger.i:
        roots.append(predicate)
    for root in roots:
        stack = [c for c in root.children if same_clause(c) or names_means(c)]
        while stack:
            token = stack.pop()
            if token.i == trigger.i or (token.ent_type_ and token.pos_ == "PROPN"):
                continue
            words.update({lemma_of(token), token.lower_})
            stack.extend(c for c in token.children if same_clause(c) or names_means(c))
    return words


def direct_fire(words: set[str]) -> bool:
    """Small arms among an attack's weapons: ACLED codes remote violence only when no direct
    fire is reported; a machine gun fired with mortars is part of the barrage."""
    direct = words & classes()["small_arms"]
    if words & {"machine", "heavy"}:
        direct -= {"gun", "machine", "machine-gun", "machinegun"}
    return bool(direct)


def names_means(token: Token) -> bool:
    """A participle that names the weapons used ("explosions involving mortars")."""
    return token.dep_ == "acl" and lemma_of(token) in classes()["means_verbs"]


def refine_qualifier(trigger: Token, rule: TriggerRule) -> str:
    """Sharpen the trigger's qualifier from its weapon words and the sentence."""
    if rule.plover_type == "ASSAULT":
        words = qualifier_words(trigger)
        if (
            "bomber" in {lemma_of(t) for t in trigger.sent}
            and "suicide" in trigger.sent.text.lower()
        ):
            words.add("suicide")
        if "launcher" in words:
            words.discard("grenade")
        if "tear" in words:
            words.discard("gas")
        if rule.qualifier == "mutual" or is_two_sided(trigger, words):
            # an exchange of fire is a battle, whatever the weapons; a brawl of crowds or
            # with stones and sticks is mob violence
            return "mob" if is_brawl(trigger, words) else "mutual"
        found = {weapon_qualifiers()[w] for w in words if w in weapon_qualifiers()}
        if found & {"shelling", "explosive", "grenade"} and direct_fire(words):
            return "clash"
        if rule.qualifier == "explosive" and words & classes()["fired_weapons"]:
            found.add("shelling")  # explosions of weapons fired ("explosions involving mortars")
        if not rule.qualifier and not found and words & classes()["firearm_words"]:
            return "firearm"
        for qualifier in QUALIFIER_PRIORITY:
            if qualifier in found and rule.qualifier not in {
                "abduction",
                "sexual",
                "territory",
                "retake",
                "territory_fall",
                "mob",
            }:
                return qualifier
    if rule.plover_type == "PROTEST" and rule.qualifier == "protest":
        lemmas = {lemma_of(t) for t in trigger.sent if not is_riot_gear(t)}
        # Reports often tell what the crowd did in the sentence after the protest ("They burnt
        # tyres"): acts of rioting count there too; the authorities' response only in its own.
        after = {
            lemma_of(t)
            for sentence in nearby_sentences(trigger)
            for t in sentence
            if not is_riot_gear(t)
        }
        if lemmas & classes()["riot_cues"] or after & classes()["riot_acts"]:
            return "riot"
        if lemmas & classes()["protest_lethal"] and lemmas & {
            "police",
            "force",
            "soldier",
            "troop",
        }:
            return "excessive_force"
        heads = {trigger.i, trigger.head.i, predicate_of(trigger).i}
        stepped_in = {  # not the arrest the crowd protests against ("against the arrest of")
            lemma_of(t)
            for t in trigger.sent
            if lemma_of(t) in classes()["protest_intervention"] and not is_grievance(t, heads)
        }
        around = {  # "Police dispersed them." in the next sentence
            lemma_of(t) for sentence in nearby_sentences(trigger) for t in sentence
        }
        if stepped_in or around & classes()["intervention_acts"]:
            return "intervention"
    return rule.qualifier


def is_two_sided(trigger: Token, words: set[str]) -> bool:
    """Fire that went both ways ("fired back", "returned fire", "in both directions",
    "exchanged fire") makes an armed clash; one-sided fire from afar is remote violence."""
    if words & classes()["two_sided_words"]:
        return True
    for token in trigger.sent:  # "... and soldiers fired back", "police returned fire"
        kids = {lemma_of(c) for c in token.children}
        if lemma_of(token) in {"fire", "shoot"} and "back" in kids:
            return True
        if lemma_of(token) == "return" and kids & classes()["fire"]:
            return True
        if lemma_of(token) == "respond" and any(  # "responded to the shelling with fire"
            in_class(g, "fire") or in_class(g, "answered_attacks") for g in pobjs(token, ["to"])
        ):
            return True
    sentence = [lemma_of(t) for t in trigger.sent]
    return any(
        a == "both" and b in classes()["two_sided_after_both"]
        for a, b in itertools.pairwise(sentence)
    )


def is_riot_gear(token: Token) -> bool:
    """A word that names what riots are controlled with, not a riot ("riot police")."""
    return token.dep_ in MODIFIER_DEPS and in_class(token.head, "riot_gear")


def nearby_sentences(token: Token) -> list[Span]:
    """The sentence before the token's and the two after it: a short report tells a crowd's
    acts around the sentence that names the demonstration."""
    doc, found = token.doc, []
    if token.sent.start > 0:
        found.append(doc[token.sent.start - 1].sent)
    end = token.sent.end
    for _ in range(2):
        if end >= len(doc):
            break
        found.append(doc[end].sent)
        end = doc[end].sent.end
    return found


def is_brawl(trigger: Token, words: set[str]) -> bool:
    """A clash fought with stones and sticks, or between crowds (groups, villagers, party
    supporters) with no armed group among them, is mob violence in ACLED's terms."""
    predicate = predicate_of(trigger)
    sides = subject_words(predicate) + pobjs(trigger, ["between", "with", "against"])
    if predicate.i != trigger.i:
        sides += pobjs(predicate, ["with", "against"])
    sides += [c for t in list(sides) for c in t.conjuncts]
    sides += [g for t in list(sides) for c in t.children if c.lower_ == "of" for g in c.children]
    if not sides:  # "40 people were injured in a clash": the crowd is among the casualties
        sides = [
            v
            for word in trigger.sent
            if counts.CASUALTY_LEMMAS.get(lemma_of(word)) in {"fatalities", "injured"}
            for v in counts.victims_of(word)
        ]
    lemmas = {lemma_of(t) for t in sides}
    lemmas |= {lemma_of(c) for t in sides for c in t.children if c.dep_ in MODIFIER_DEPS}
    if lemma_of(trigger) not in classes()["brawl_triggers"]:
        return False  # a gun battle or a shoot-out is fought with arms
    if (words | lemmas) & classes()["armed_clash_words"]:
        return False  # "armed groups of villagers", "clashed using guns"
    if words & classes()["brawl_weapons"]:
        return True
    if (words | lemmas) & classes()["communal_words"]:
        return False  # communities and clans fight as communal militias
    return any(
        lemma_of(t) in classes()["protest_crowd"] and not of_armed(t) for t in sides
    )


def of_armed(token: Token) -> bool:
    """ "members of the army", "a group of police": a crowd word whose people are armed."""
    return any(
        in_class(g, "armed_people")
        or in_class(g, "armed_clash_words")
        or in_class(g, "communal_words")
        for c in token.children
        if c.lower_ == "of"
        for g in c.children
    )


def event_mode(trigger: Token) -> tuple[str, Token]:
    """asserted, negated, threatened, future or hypothetical, with the cue word."""
    cues = mode_cues()
    for child in trigger.children:  # "Nobody was arrested", "no one was hurt"
        if child.dep_ in {"nsubjpass", "dobj", "nsubj"} and counts.negated_quantity(child):
            return "negated", child
    verb = predicate_of(trigger)
    chain = [verb]
    while (
        chain[-1].dep_ in {"xcomp", "ccomp", "advcl", "pcomp", "pobj", "prep", "conj"}
        and len(chain) < 6
    ):
        chain.append(chain[-1].head)
    for i, node in enumerate(chain):
        for child in node.children:
            if child.dep_ in cues["negation_deps"] or (
                child.dep_ == "det" and child.lower_ == "no"
            ):
                return "negated", child
            if child.dep_ == "aux" and child.lower_ in cues["future_aux"]:
                return "future", child
            if child.dep_ == "aux" and child.lower_ in cues["hypothetical_aux"]:
                return "hypothetical", child
            if child.dep_ == "mark" and child.lower_ in cues["hypothetical_marks"]:
                return "hypothetical", child
        if i == 0 or chain[i - 1].dep_ == "conj":  # "prevented and detained": a conjunct
            continue  # shares its partner's auxiliaries, not its meaning
        lemma = lemma_of(node)
        for mode, key in (
            ("negated", "negation_governors"),
            ("threatened", "threat_governors"),
            ("future", "future_governors"),
            ("hypothetical", "hypothetical_governors"),
        ):
            if lemma in cues[key]:
                return mode, node
    return "asserted", trigger


# --- ACLED mapping ------------------------------------------------------------------------


def rule_matches(cell: str, value: str) -> bool:
    """Match one cell of acled_rules.csv ("*", "a|b", "-" for missing)."""
    return cell == "*" or value in cell.split("|")


def acled_types(
    plover: str,
    qualifier: str,
    mode: str,
    inter1: int | None,
    inter2: int | None,
    armed_target: bool = False,
) -> tuple[str | None, str | None, str | None]:
    """CAMEO root, ACLED event type and sub-event type for an event; `armed_target` says the
    target is armed people whose group is unknown."""
    default_root = cameo_roots().get(plover)
    if mode != "asserted":
        return default_root, None, None
    i1 = str(inter1) if inter1 is not None else "-"
    i2 = str(inter2) if inter2 is not None else ("armed" if armed_target else "-")
    for rule in acled_rules():
        if (
            rule["plover_type"] == plover
            and rule_matches(rule["qualifier"], qualifier or "-")
            and rule_matches(rule["inter1"], i1)
            and rule_matches(rule["inter2"], i2)
        ):
            return (
                rule["cameo_root"] or default_root,
                rule["acled_event_type"],
                rule["acled_sub_event_type"],
            )
    return default_root, None, None


# --- building events ----------------------------------------------------------------------


@dataclass
class Draft:
    """An event being built, with the tokens its fields came from."""

    event: Event
    trigger: Token
    qualifier: str
    definite_noun: bool
    target_inferred: bool = False
    sentence: int = 0  # index of the trigger's sentence in the report


def evidence(field: str, span: Span | Token) -> Evidence:
    """Evidence for a field: its sentence and the span's character offsets in the report."""
    doc = span.doc
    start = span.idx if isinstance(span, Token) else span.start_char
    end = start + len(span.text)
    sentence = doc[span.i].sent if isinstance(span, Token) else span.sent
    return Evidence(field, sentence.text, start, end)


def event_id(report_id: str, start: int, plover: str) -> str:
    """A stable event id: the same report always gives the same ids."""
    digest = hashlib.sha1(f"{report_id}\x00{start}\x00{plover}".encode()).hexdigest()
    return "e" + digest[:20]


def implied_defender(
    doer: Actor | None, target: Token | None, ctx: actors.ReportContext, location: Location | None
) -> Actor | None:
    """An armed group's assault on a town is fought against that country's forces."""
    if doer is None or doer.sector not in NON_STATE_SECTORS or target is None:
        return None
    if not (target.ent_type_ in geo.PLACE_LABELS or in_class(target, "territory")):
        return None
    phrase = actors.actor_phrase(target)
    if {lemma_of(t) for t in phrase} & classes()["undefended_places"]:
        return None  # a raid on a village or a home falls on its people, not on troops
    country = (location.country_code if location else None) or ctx.focus_country
    return actors.make_actor(phrase, actors.sector_name("MIL", country), country, "MIL")


def victim_actor(trigger: Token, ctx: actors.ReportContext) -> Actor | None:
    """The victims of the casualty words of the trigger's sentence ("12 soldiers were killed")."""
    for word in trigger.sent:
        if counts.CASUALTY_LEMMAS.get(lemma_of(word)) not in {"fatalities", "injured"}:
            continue
        for victim in counts.victims_of(word):
            if victim.i != trigger.i and victim.pos_ in {"NOUN", "PROPN"}:
                actor = actors.resolve_actor(victim, ctx)
                if actor is not None:
                    return actor
    return None


def is_mob(doer: Token | None) -> bool:
    """A doer that is a crowd: a mob, angry villagers, a group of men, five persons (one man
    with a knife is an attacker, not a mob)."""
    if doer is None:
        return False
    words = [doer, *(g for c in doer.children if c.lower_ == "of" for g in c.children)]
    words += [c for t in list(words) for c in t.children if c.dep_ in MODIFIER_DEPS]
    lemmas = {lemma_of(t) for t in words} | {t.lower_ for t in words}
    if lemmas & classes()["armed_clash_words"]:
        return False
    if lemmas & classes()["mob_words"]:
        return True
    many = doer.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "nummod" for c in doer.children)
    return many and bool(lemmas & classes()["mob_plural_words"])


def is_named_armed_group(actor: Actor | None) -> bool:
    """An armed group the text names (not an unidentified one)."""
    return (
        actor is not None
        and actor.sector in NON_STATE_SECTORS
        and not (actor.name or "").startswith("Unidentified")
    )


def is_armed_target(trigger: Token, target: Token | None) -> bool:
    """Whether the target, or the casualties of the trigger's sentence when no target is named,
    are armed people ("attacked a patrol", "killing three soldiers")."""
    if target is not None:
        return in_class(target, "armed_people")
    return any(
        counts.CASUALTY_LEMMAS.get(lemma_of(word)) in {"fatalities", "injured"}
        and any(in_class(v, "armed_people") for v in counts.victims_of(word))
        for word in trigger.sent
    )


def as_demonstrators(
    actor: Actor | None,
    trigger: Token,
    qualifier: str,
    location: Location | None,
    ctx: actors.ReportContext,
) -> Actor:
    """Whoever demonstrates is coded as protesters (rioters when violent), ACLED's way; the
    group they come from stays in the actor's text."""
    sector = "RIO" if qualifier == "riot" else "PRT"
    country = (
        (actor.country if actor else None)
        or (location.country_code if location else None)
        or ctx.focus_country
    )
    name = actors.sector_name(sector, country)
    if actor is None:
        return Actor(trigger.text, name, country, sector, trigger.idx, trigger.idx + len(trigger))
    return Actor(actor.text, name, country, sector, actor.start, actor.end)


def build_event(
    trigger: Token,
    rule: TriggerRule,
    report: Report,
    ctx: actors.ReportContext,
    places: list[geo.Place],
    timexes: list[temporal.Timex] | None = None,
) -> Draft:
    """Fill every field of one event from its trigger."""
    doer_tok, target_tok = role_tokens(trigger, rule)
    military = rule.plover_type in MILITARY_TYPES
    actor1 = (
        actors.resolve_actor(doer_tok, ctx, military=military) if doer_tok is not None else None
    )
    actor2 = resolve_target(target_tok, ctx, military)
    anchors = location_anchors(trigger)
    excluded = [
        phrase_range(t)
        for t, a in ((doer_tok, actor1), (target_tok, actor2))
        if t is not None and a is not None and not (t is target_tok and is_place_word(t))
    ]
    placed = geo.event_location(trigger, anchors, places, ctx, excluded)
    location = placed[0] if placed else None
    if location and location.country_code and location.country_code != ctx.focus_country:
        local = dataclasses.replace(ctx, focus_country=location.country_code)
        actor1 = actors.resolve_actor(doer_tok, local, military=military) if doer_tok else None
        actor2 = resolve_target(target_tok, local, military)
        ctx = local
    inferred = False
    if rule.plover_type == "ASSAULT" and actor2 is None:
        actor2 = implied_defender(actor1, target_tok, ctx, location) or victim_actor(trigger, ctx)
        inferred = actor2 is not None
    mode, cue = event_mode(trigger)
    qualifier = refine_qualifier(trigger, rule)
    if rule.plover_type == "ASSAULT" and qualifier in {"", "firearm"} and is_mob(doer_tok):
        qualifier = "mob"  # "a mob beat ...", "angry villagers attacked ..."
    if qualifier == "mob" and any(is_named_armed_group(a) for a in (actor1, actor2)):
        qualifier = "mutual"  # a named armed group's clash is a battle
    if rule.plover_type == "PROTEST":
        actor1 = as_demonstrators(actor1, trigger, qualifier, location, ctx)
    event_country = (location.country_code if location else None) or ctx.focus_country
    inter1 = actors.inter_code(actor1.sector, actor1.country, event_country) if actor1 else None
    inter2 = actors.inter_code(actor2.sector, actor2.country, event_country) if actor2 else None
    armed = inter2 is None and is_armed_target(trigger, target_tok)
    cameo, acled_type, acled_sub = acled_types(
        rule.plover_type, qualifier, mode, inter1, inter2, armed
    )
    event = Event(
        event_id=event_id(report.report_id, trigger.idx, rule.plover_type),
        report_id=report.report_id,
        plover_type=rule.plover_type,
        mode=mode,
        trigger=trigger.text,
        trigger_start=trigger.idx,
        trigger_end=trigger.idx + len(trigger),
        cameo_root=cameo,
        acled_event_type=acled_type,
        acled_sub_event_type=acled_sub,
        actor1=actor1,
        actor2=actor2,
        location=location,
    )
    event.evidence.append(evidence("plover_type", trigger))
    event.evidence.append(evidence("mode", cue))
    for field, actor in (("actor1", actor1), ("actor2", actor2)):
        if actor is not None and actor.start is not None:
            event.evidence.append(evidence(field, span_at(trigger.doc, actor.start, actor.end)))
    if placed:
        event.evidence.append(evidence("location", placed[1]))
    dated = temporal.event_date(trigger, report, timexes or [])
    if dated:
        event.date, date_evidence = dated
        event.evidence.append(date_evidence)
    definite = trigger.pos_ == "NOUN" and any(c.lower_ == "the" for c in trigger.children)
    return Draft(event, trigger, qualifier, definite, inferred)


def resolve_target(token: Token | None, ctx: actors.ReportContext, military: bool) -> Actor | None:
    """The target's actor. A place targeted ("the Ukrainian city of Kharkiv", "Imam Sahib
    district") is no side by its country or by role words in its name; only an armed group named
    in the phrase is (the defenders or victims come from the doer and the casualties instead)."""
    if token is None:
        return None
    if is_place_word(token):
        return actors.group_actor(actors.actor_phrase(token), ctx)
    return actors.resolve_actor(token, ctx, military=military)


def is_place_word(token: Token) -> bool:
    """A target that is a named place ("the town of X", "Imam Sahib district", "Kharkiv"): its
    place is where the event happened ("a militant camp" names no place: its people are the
    target)."""
    if token.ent_type_ in geo.PLACE_LABELS:
        return True
    if token.lower_ not in nlp.PLACE_NOUNS:
        return False
    return any(e.label_ in geo.PLACE_LABELS for e in actors.actor_phrase(token).ents)


def location_anchors(trigger: Token) -> list[Token]:
    """The words an event's place attaches to: the trigger, its light verb, or the verb it is
    the subject of ("fighting erupted in the city")."""
    anchors = [trigger]
    predicate = predicate_of(trigger)
    if predicate.i != trigger.i:
        anchors.append(predicate)
    elif trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ in {"nsubj", "nsubjpass"}:
        anchors.append(trigger.head)
    return anchors


def phrase_range(token: Token) -> tuple[int, int]:
    """Token range of an actor phrase, to keep its places out of the event's location."""
    phrase = actors.actor_phrase(token)
    return phrase.start, phrase.end


def span_at(doc: Doc, start: int | None, end: int | None) -> Span:
    """The token span covering a character range."""
    span = doc.char_span(start or 0, end or 0, alignment_mode="expand")
    return span if span is not None else doc[0:1]


def attach_counts(drafts: list[Draft], doc: Doc) -> None:
    """Give each sentence's casualty figures to the event they belong to."""
    for sentence in doc.sents:
        in_sentence = [d for d in drafts if d.trigger.sent.start == sentence.start]
        for count in counts.counts_in(sentence):
            target = count_target(count, in_sentence)
            if target is None:
                continue
            event = target.event
            current = getattr(event, count.field)
            if current is None or count.value > current:
                setattr(event, count.field, count.value)
                event.evidence = [e for e in event.evidence if e.field != count.field]
                event.evidence.append(Evidence(count.field, sentence.text, count.start, count.end))


def count_target(count: counts.Count, drafts: list[Draft]) -> Draft | None:
    """The event a figure belongs to: the preferred type nearest the casualty word."""
    if not drafts:
        return None
    preferred = [d for d in drafts if d.event.plover_type == PREFERRED_COUNT_TYPE[count.field]]
    pool = preferred or [
        d for d in drafts if d.event.plover_type in {"ASSAULT", "PROTEST", "COERCE"}
    ]
    if not pool:
        return None
    return min(pool, key=lambda d: abs(d.trigger.i - count.anchor))


def score(event: Event) -> float:
    """A simple confidence: how many of the event's parts were found on the parse."""
    parts = [
        event.actor1 is not None,
        event.actor2 is not None,
        event.location is not None,
        event.acled_event_type is not None or event.mode != "asserted",
    ]
    return round(0.4 + 0.15 * sum(parts), 2)


HISTORY_DAYS = {"day": 365, "week": 365, "month": 60, "year": 60}


def is_historical(event: Event, report: Report) -> bool:
    """An event the text dates long before the report ("defeated in 2017", "in March 2020" in a
    2023 story) is background the report recalls, not news it reports."""
    when = event.date
    if report.published is None or not temporal.read_from_text(when) or when is None:
        return False
    age = (report.published - when.value).days
    return age > HISTORY_DAYS.get(when.precision, 365)


def extract_events(doc: Doc, report: Report, ctx: actors.ReportContext) -> list[Event]:
    """All events of one parsed report, merged where the report speaks of one event twice."""
    places = geo.places_in(doc)
    timexes = temporal.report_timexes(doc, report)
    drafts = []
    for index, sentence in enumerate(doc.sents):
        for trigger, rule in find_triggers(sentence):
            draft = build_event(trigger, rule, report, ctx, places, timexes)
            draft.sentence = index
            drafts.append(draft)
    drafts = [d for d in drafts if not is_historical(d.event, report)]
    attach_counts(drafts, doc)
    merged = merge_mentions(drafts)
    for draft in merged:
        if draft.event.location is None:  # a sentence with no place: the last one written
            placed = geo.inherited_location(draft.trigger, places, ctx)
            if placed is not None:
                draft.event.location = placed[0]
                draft.event.evidence.append(evidence("location", placed[1]))
    for draft in merged:
        draft.event.confidence = score(draft.event)
    return [d.event for d in merged]


# --- one event mentioned twice in a report --------------------------------------------------


def same_or_missing(a: str | None, b: str | None) -> bool:
    """Two values agree when equal or when either is unknown."""
    return a is None or b is None or a == b


def names(event: Event, target_inferred: bool = False) -> tuple[str | None, str | None, str | None]:
    """Actor names and place name of an event, for comparison; a target inferred from the
    victims or the place is not held against another mention."""
    return (
        event.actor1.name if event.actor1 else None,
        event.actor2.name if event.actor2 and not target_inferred else None,
        event.location.name if event.location else None,
    )


def compatible(kept: Draft, new: Draft) -> bool:
    """Whether a later mention can be the same event as an earlier one."""
    a, b = kept.event, new.event
    if a.plover_type != b.plover_type or a.mode != b.mode:
        return False
    outcome = classes()["outcome_triggers"]
    anaphoric = new.definite_noun and all(x is None for x in names(b, new.target_inferred))
    generic = lemma_of(new.trigger) in outcome or lemma_of(kept.trigger) in outcome or anaphoric
    if a.acled_sub_event_type != b.acled_sub_event_type and not generic:
        return False
    na, nb = names(a, kept.target_inferred), names(b, new.target_inferred)
    if not all(same_or_missing(x, y) for x, y in zip(na, nb, strict=True)):
        return False
    if generic and not anaphoric and abs(kept.sentence - new.sentence) > MAX_OUTCOME_GAP:
        return False
    shared = any(x is not None and x == y for x, y in zip(na, nb, strict=True))
    anchorless = all(x is None for x in nb)
    return shared or (anchorless and new.definite_noun)


MAX_OUTCOME_GAP = 2


def merge_mentions(drafts: list[Draft]) -> list[Draft]:
    """Fold later mentions of an event into the first, filling what it lacked."""
    kept: list[Draft] = []
    for draft in drafts:
        target = next((k for k in reversed(kept) if compatible(k, draft)), None)
        if target is None:
            kept.append(draft)
        else:
            absorb(target.event, draft.event)
    return kept


def absorb(into: Event, other: Event) -> None:
    """Merge another mention's fields and evidence into an event."""
    for field in (
        "actor1",
        "actor2",
        "location",
        "date",
        "acled_event_type",
        "acled_sub_event_type",
    ):
        if getattr(into, field) is None and getattr(other, field) is not None:
            setattr(into, field, getattr(other, field))
    if temporal.read_from_text(other.date) and not temporal.read_from_text(into.date):
        into.date = other.date  # a date read from the text beats the publication date
        into.evidence = [e for e in into.evidence if e.field != "date"]
    for field in ("fatalities", "injured", "arrested"):
        values = [v for v in (getattr(into, field), getattr(other, field)) if v is not None]
        if values:
            setattr(into, field, max(values))
    seen = {(e.field, e.start, e.end) for e in into.evidence}
    into.evidence += [e for e in other.evidence if (e.field, e.start, e.end) not in seen]
