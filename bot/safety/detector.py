"""Rule-based detector of CURRENT risk in a client message.

`detect(text)` returns a `Risk` (category + the name of the pattern that fired)
when a message shows current risk to the client or to someone else, else None.

The patterns are data (RISK_PATTERNS below): spaCy `Matcher` token patterns on
LEMMA/LOWER. A small amount of guard logic then drops a match that is:
  - negated   ("i'm not suicidal", "i would never hurt myself", "... but i won't"),
  - past      ("i used to self harm years ago", "when i was a teen i ..."),
  - about someone else ("my friend wants to die", "a character killed himself"),
  - an idiom  ("overdosed on netflix", "hurt my feelings", "dying to know").
Most idioms ("this worksheet is killing me", "i could kill for a pizza") never
match in the first place, because the patterns need a risky target ("myself",
"him", "my boss") or a threat/fear context for "kill me".

Pure Python + spaCy; no Rasa. The pipeline is `spacy.blank("en")` with the
lookup lemmatizer (spacy-lookups-data), unless $SPACY_MODEL names a loadable
model. It is built lazily, once. Nothing here logs or stores message text.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

CATEGORIES = ("suicide", "self_harm", "medical", "danger", "harm_to_others", "abuse")


@dataclass(frozen=True)
class Risk:
    category: str  # one of CATEGORIES
    rule: str  # the name of the pattern that fired


# --------------------------------------------------------------------------- #
# Pattern helpers: L = any of these lowercase forms, M = any of these lemmas.
def L(*words: str, op: Optional[str] = None) -> dict:
    tok: dict = {"LOWER": {"IN": list(words)}}
    if op:
        tok["OP"] = op
    return tok


def M(*lemmas: str, op: Optional[str] = None) -> dict:
    tok: dict = {"LEMMA": {"IN": list(lemmas)}}
    if op:
        tok["OP"] = op
    return tok


NEG = ("not", "n't", "nt", "never", "no")
BE = ("m", "'m", "am", "is", "s", "'s", "are", "re", "'re", "was", "were", "be", "been")
PUNCT = (".", ",", "!", "?", ";")
END = PUNCT + ("tonight", "today", "now", "rn", "soon", "forever", "already", "for", "all")
PILLS = ("pills", "pill", "meds", "medication", "medications", "medicine", "tablets", "prescription", "painkillers")
PERSON = (
    "boss", "manager", "brother", "sister", "mom", "mum", "mother", "dad", "father", "parents", "ex",
    "husband", "wife", "partner", "boyfriend", "girlfriend", "bf", "gf", "kid", "kids", "baby", "son",
    "daughter", "child", "children", "coworker", "colleague", "roommate", "neighbour", "neighbor",
    "stepdad", "stepmom", "stepfather", "stepmother", "teacher", "family", "friend", "friends",
    "landlord", "uncle", "aunt", "cousin", "grandpa", "grandma", "fiance", "fiancee",
)
TARGET_PRON = ("him", "her", "them", "you", "someone", "somebody", "people", "everyone", "everybody",
               "anyone", "anybody", "whoever")
NAMED = ("guy", "man", "woman", "girl", "dude", "bitch", "bastard", "asshole", "prick") + PERSON
ABUSER = ("he", "she", "they", "someone", "somebody") + PERSON
THREAT_SUBJ = ("he", "she", "they", "hell", "shell", "theyll", "hes", "shes", "my") + PERSON
MODAL = ("will", "ll", "'ll", "would", "d", "'d", "is", "s", "'s", "going", "gon", "na", "to", "gonna",
         "might", "could", "actually", "really")
ABUSE_VERBS = ("hit", "beat", "hurt", "slap", "kick", "punch", "push", "shove", "grab", "choke", "abuse",
               "rape", "touch", "threaten", "force", "lock", "stalk", "molest", "assault", "attack",
               "smack", "throw", "strangle")
ABUSE_FILLER = ("keeps", "keep", "kept", "always", "still", "is", "s", "'s", "was", "has", "had", "been",
                "often", "sometimes", "constantly", "just", "again", "at", "home", "literally",
                "used", "to", "even", "also")
PASSIVE_HARM = ("abused", "raped", "assaulted", "molested", "beaten", "hit", "hurt", "slapped", "kicked",
                "punched", "choked", "threatened", "attacked")
HARM_VERBS = ("kill", "hurt", "harm", "murder", "attack", "punch", "beat", "hit", "strangle", "stab")
# Words allowed between "i" and the harm verb of an intention ("i'm going to", "i keep thinking about").
INTENT_FILLER = (
    "m", "'m", "am", "ll", "'ll", "will", "would", "d", "'d", "could", "might", "may", "really", "just",
    "so", "seriously", "honestly", "actually", "literally", "want", "wanna", "gon", "na", "gonna", "going",
    "to", "feel", "like", "keep", "thinking", "think", "about", "abt", "of", "planning", "plan", "have",
    "having", "thoughts", "urges", "urge", "scared", "afraid", "worried", "terrified", "i", "ill", "ready",
    "get", "getting", "revenge", "even", "back", "with", "on", "and", "angry", "mad", "swear", "need",
    "wish", "go", "totally", "definitely", "fantasise", "fantasize", "fantasising", "fantasizing",
    "dream", "dreaming", "imagine", "imagining", "him", "her", "them",
)
SELF_HARM_VERBS = ("cut", "hurt", "burn", "harm", "scratch", "hit", "punch", "bite", "starve", "punish",
                   "injure", "mutilate", "selfharm")
FIRST = L("i", "ill")
INTENT = L(*INTENT_FILLER, op="*")


# --------------------------------------------------------------------------- #
# category -> {rule name -> [token patterns]}
RISK_PATTERNS: Dict[str, Dict[str, List[list]]] = {
    "suicide": {
        "kill_myself": [[M("kill", "murder", "unalive"), L("myself", "meself")],
                        [L("off", "offing", "offed"), L("myself", "meself")],
                        # British: "topping myself", "top meself"
                        [L("top", "topping", "topped", "tops"), L("myself", "meself")],
                        [M("hang", "drown", "shoot", "stab", "gas"), L("myself", "meself")]],
        "kms": [[L("kms", "kmsl", "sewerslide")]],
        # "the void is calling and i want to answer"
        "void_calling": [[L("void", "abyss"), L(*BE, op="?"), L("calling", "pulling")]],
        # "how many paracetamol would it take", "how much insulin to end it"
        "how_many_to": [
            [L("how"), L("many", "much"), {"OP": "?"}, L(*PILLS, "paracetamol", "tylenol", "ibuprofen", "insulin",
                                                          "tabs", "sleeping", op="?"),
             L("pills", "tablets", op="?"), L("would", "does", "will"), L("it"), L("take")],
            [L("how"), L("many", "much"), {"OP": "?"}, L("pills", "tablets", op="?"), L("to"),
             L("die", "kill", "end", "od", "overdose", "not")],
        ],
        "unalive": [[M("unalive")]],
        "suicidal": [[M("suicidal")]],
        "suicide_intent": [
            [M("commit", "attempt", "plan", "consider", "contemplate"), L("suicide")],
            [M("think", "thought", "thinking"), L("about", "abt", "of"), L("suicide")],
            [L("my"), L("suicide")],
            [M("want", "wanna"), L("to", op="?"), L("suicide")],
            [L("suicide", "death", "dying"), M("be", "feel", "seem", "look"), L("like", op="?"), L("the", op="?"),
             L("only", "best", "answer", "option", "way")],
            [L("only", "best"), L("way", "option", "answer", "solution"), L("out", op="?"), L(*BE),
             L("death", "dying", "suicide")],
        ],
        # a past attempt and a present wish: "I wish it had worked", "I wish I hadn't woken up"
        "wish_it_worked": [
            [L("wish", "wishing", "wished"), L("it", "that"), L("had", "would", "'d", "d", "could"),
             L("have", "of", op="?"), L("worked")],
            [L("wish", "wishing"), L("i"), L("had", "hadn't", "hadnt", "didn't", "didnt", "never", "would", "'d",
             "d", "had", "not", "n't", "wouldn't", "wouldnt", op="*"), L("woken", "woke", "wake", "waken")],
        ],
        "want_to_die": [
            [M("want", "wanna", "wish", "need"), L("to", op="?"), M("die")],
            [M("want", "wanna", "wish"), L("to", op="?"), L("be"), L("dead")],
            [L("ready", "prepared", "deserve"), L("to"), M("die")],
            [L("think", "feel", "scared", "afraid"), L("like", "that", op="?"), L("i"), L(*BE), L("dying")],
            [L("feel", "felt"), L("like"), L("dying")],
            [L("ways", "way", "how", "methods"), L("to"), M("die")],
        ],
        "be_dead": [
            [M("want", "wish", "need"), L("i", op="?"), L("was", "were", "to", op="?"), L("be", op="?"),
             L("dead")],
            [L("rather", "better"), L("be", "off"), L("dead")],
            [M("wish"), L("i"), L("was", "were", "had", "d", op="?"), L(*NEG), L("been", op="?"),
             L("alive", "here", "born")],
            [L("tired", "sick", "hate", "done"), L("of", op="?"), L("being"), L("alive")],
            [L("tired", "sick"), L("of"), L("living", "life", "existing")],
        ],
        "not_live": [
            [L(*NEG), M("want", "wanna"), L("to", op="?"), L("be", op="?"),
             L("live", "living", "alive", "exist", "existing", "wake")],
            [L(*NEG), M("want", "wanna"), L("to", op="?"), L("be"), L("here", "around"), L("anymore", "any")],
            [L(*NEG), L("be"), L("here", "around", "alive"), L("much", "any", op="?"), L("longer", "anymore")],
            [L(*NEG), M("think"), L("i", "ill"), L("ll", "'ll", "will", "would", "d", op="?"), L("be"),
             L("alive", "around", "here")],
            [M("want", "wanna", "need"), L("to"), L("stop"), L("existing", "living", "breathing")],
            [L("never"), L("wake", "waking"), L("up")],
            [M("sleep"), L("and"), L(*NEG), L("wake", "waking")],
            # "I don't plan to be around", "I don't expect to have a next year"
            [L(*NEG), M("plan", "intend", "expect"), L("to"), L("be"), L("around", "here", "alive"),
             {"LOWER": {"IN": ["much", "long", "longer", "anymore", ".", ",", "!", ";", "-"]}}],
            [L(*NEG), M("plan", "intend", "expect"), L("to"), L("have", "see"), L("a", "another", op="?"),
             L("next", "another", "new"), L("year", "birthday", "christmas", "summer", "spring", "week")],
            [L("sleep", "stop"), L("forever", "permanently")],
            [L("disappear", "vanish"), L("forever", "permanently")],
            [L("disappear", "vanish"), L("for"), L("good", "ever")],
        ],
        "end_life": [
            [M("end", "take"), L("my"), L("own", op="?"), L("life", "existence")],
            [M("end"), L("it"), L("all")],
            [M("end"), L("everything")],
            [M("end"), L("it", "things"), {"LOWER": {"NOT_IN": ["here", "there", "with", "for", "between"]}}],
            [L("about", "abt", "of"), M("end"), L("it", "things")],
            [M("want"), L("it", "everything", "this"), L("all", op="?"), L("to"), L("be"), L("over")],
            [M("want", "wanna"), L("out"), L(*PUNCT)],
            [M("want", "wanna"), L("out"), L("of"), L("this", "my", op="?"), L("life", "existence", "world")],
        ],
        "no_reason_to_live": [
            [L("no"), L("reason", "point", "purpose", "will", "desire"), L("to", "in", "for", "of"),
             L("live", "living", "life", "be", "being", "go", "going", "keep", "carry")],
            [L("point"), L("of", "in"), L("living", "life", "existing")],
            [L("point"), L("of", "in"), L("being"), L("alive", "here")],
            [L("no"), L("point"), L("anymore", "in", "trying")],
            [L("point"), L("in", "of"), L("going", "carrying", "keeping"), L("on", "going")],
            [L(*NEG), L("worth"), L("living", "it")],
            # "nothing is worth staying for"
            [L("nothing", "nobody", "noone", "no"), L("one", op="?"), L(*BE, op="?"), L("worth"),
             L("staying", "living", "sticking", "hanging", "being")],
            [L("done"), L("with"), L("life", "living")],
            [L("life", "living", "existence", "everything"), L(*BE), L("pointless", "meaningless", "hopeless")],
        ],
        "cant_go_on": [
            [L("ca", "can", "cannot", "could"), L(*NEG, op="?"), L("go", "keep", "carry", "live"),
             L("on", "going", "living"), L("like", "anymore", "any", "much", ".", ",", "!", "living")],
            [L(*NEG), L("think"), L("i"), L("can", "could"), L("keep", "go", "carry"), L("on", "going", "living")],
            [L("ca", "can", "cannot"), L(*NEG), L("live", "exist"), L("like", "anymore", *PUNCT)],
        ],
        "burden": [
            [L("better", "happier", "easier"), L("off", op="?"), L("without"), L("me")],
            [L("better", "happier", "easier"), L("off", op="?"), L("if"), L("i")],
            [L("if", "when", "once", "after"), L("i"), L(*BE), L("gone", "dead")],
            [L("if"), L("i"), L("died", "disappeared", "vanished")],
            [L("i"), L(*BE), L("such", "a", "just", op="*"), L("burden")],
        ],
        # in a place to fall from, now: "im out on the ledge of my balcony", "on a ledge at the car park rn"
        "on_a_ledge": [
            [L("on", "onto", "over"), L("the", "a", "this", "that"), L("ledge")],
            # "I'm at the edge of the quarry", "standing on the edge of the cliff"
            [L("at", "on", "over"), L("the"), L("edge"), L("of"), L("the", "a", "this", "that"),
             L("quarry", "cliff", "cliffs", "bridge", "roof", "rooftop", "platform", "tracks", "building", "balcony",
               "pier", "dam", "gorge", "car", "multistorey")],
            [L("ledge"), L("of", "at", "on"), L("the", "my", "a", op="?"),
             L("balcony", "roof", "bridge", "building", "car", "window", "cliff", "tower", "block", "flat",
               "apartment", "multistorey", "parking")],
        ],
        "goodbyes": [
            [M("give"), L("my", "all", "away"), L("my", op="?"), L("things", "stuff", "belongings", "possessions",
                                                                      "everything")],
            [M("say", "write", "send"), L("my"), L("goodbyes", "goodbye", "final", "last")],
            [L("my"), L("last", "final"), L("message", "messages", "goodbye", "words", "note", "text")],
            [M("write"), L("a", "my", op="?"), L("note", "letter"), L("for", "to")],
            [L("suicide"), L("note", "letter")],
        ],
    },
    "self_harm": {
        "harm_myself": [
            [M(*SELF_HARM_VERBS), L("myself")],
            [M("hurt", "harm", "punish"), L("my"), L("body")],
            [M("make"), L("myself"), L("bleed", "hurt", "suffer")],
            [M("do"), L("something", "stuff", "things"), L("to"), L("myself")],
            [L("deserve"), L("to"), L("be"), L("hurt", "punished")],
            [M("need", "want", "wanna", "deserve"), L("to"), L("feel"), L("pain")],
            [M(*SELF_HARM_VERBS), {"OP": "?"}, {"OP": "?"}, L("on"), L("purpose")],
            [M("scratch", "bite", "hit", "punch"), {"OP": "*", "IS_ALPHA": True}, L("until", "til", "till"),
             {"OP": "?"}, {"OP": "?"}, L("bled", "bleed", "bleeds", "bleeding")],
        ],
        "selfharm": [[M("selfharm")], [M("do", "relapse"), L("sh")], [L("sh"), M("relapse")]],
        "cutting": [
            [L("cutting", "burning"), L("again")],
            [L("i", "and", "up", "just"), L("cut", "burned"), L("again")],
            [L("i"), L("cut", "burned"), L("last", "today", "tonight", "yesterday", "this", "after", "afterwards",
                                           "earlier")],
            [L("cuts", "burns", "wounds"), L("on"), L("my"), L("arms", "arm", "legs", "leg", "wrists", "wrist",
                                                               "thighs", "skin", "body", "stomach")],
            [M("start", "keep", "begin"), L("cutting", "burning")],
            [L("ca", "can", "could"), L(*NEG), L("stop"), L("cutting", "burning", "hurting", "selfharming")],
            [M("relapse"), L("and", "on", "with", "into", op="?"), L("cut", "cutting", "sh", "selfharm")],
            [L("urge", "urges", "urging"), L("to"), L("cut", "burn", "selfharm")],
            [L("feel", "felt"), L("like"), L("cutting", "burning", "selfharming")],
            [L("want", "wanna", "need", "urge", "to", "na", "might"), L("to", op="?"), L("cut", "burn"),
             L("tonight", "again", "so", "rn", "now", "today", "really", "badly", "bad", *PUNCT)],
            # "gonna go cut now", "going to go burn tonight"
            [L("go", "off"), L("and", "to", op="?"), L("cut", "burn"), L("now", "rn", "tonight", "again", "myself")],
            [L("cutting", "selfharming", "selfharm"), L(*BE), L("the"), L("only")],
            [L("fresh", "new"), L("cuts", "wounds", "burns")],
        ],
    },
    "medical": {
        "overdose": [
            [M("overdose")],
            [M("take", "swallow", "pop"), L("too"), L("many", "much")],
            [M("take", "swallow", "pop"), L("all", "every", "whole"), L("my", "of", "the", op="?"), L(*PILLS)],
            [M("take", "swallow", "pop"), L("my", "the", "a"), L("whole", "entire"), L(*PILLS, "bottle")],
            [M("take", "swallow", "pop"), L("a", "the", op="?"), L("whole", op="?"),
             L("bottle", "box", "packet", "pack", "bunch", "load", "lot", "lots"), L("of")],
            [M("take", "swallow", "pop"), L("way", "far", "a", "lot", "much", op="*"), L("more"), L("than")],
            [M("take", "swallow", "pop"), L("some", "loads", "lots", "a", "more", op="?"), L("pills", "tablets")],
            [M("mix", "combine"), L("my", "the", op="?"), L(*PILLS), L("with", "and")],
            [M("swallow"), L("something", "poison")],
            [M("swallow", "drink", "eat", "take", "ingest"), L("something", "some", op="?"),
             L("poison", "poisonous", "toxic")],
            [M("poison", "overdose", "drug"), L("myself")],
            [M("overdo", "overdid"), L("it"), L("with", "on"), L("my", "the", op="?"), L(*PILLS)],
            [L("double", "triple", "extra"), L("my", "the", op="?"), L("dose", "doses", "dosage")],
            [M("take", "swallow"), {"IS_ALPHA": True, "OP": "*"}, L("on"), L("purpose")],
        ],
        "breathing": [
            [L("ca", "can", "could"), L(*NEG, "barely", "hardly"), M("breathe")],
            [L("ca", "can"), L(*NEG), L("catch"), L("my"), M("breathe")],
            [L("trouble", "difficulty", "struggling", "hard"), L("to", op="?"), M("breathe")],
            [M("hurt"), L("to"), M("breathe")],
            [L("lips", "skin", "face"), L(*BE, "turning", "going", "gone", "turned", op="*"), L("blue")],
            [L("throat"), L(*BE, op="?"), L("closing", "swelling", "swollen")],
        ],
        "chest_pain": [
            [L("chest"), M("pain", "hurt", "ache")],
            [L("having", "have"), L("a"), L("heart"), L("attack")],
            [L("having", "have"), L("a", op="?"), L("seizure", "seizures", "stroke")],
            [L("arm", "arms", "face", "side"), L(*BE, "going", "gone", op="*"), L("numb", "tingling")],
        ],
        "collapse": [
            [L("pass", "passed", "passing", "black", "blacked", "faint", "fainted"), L("out")],
            [L("going", "gon", "about"), L("to", "na"), L("faint", "collapse")],
            [L("i"), L("just", "have", "ve", "'ve", op="?"), L("collapsed", "fainted")],
        ],
        "bleeding": [
            [L("bleeding", "bleed"), L("a"), L("lot")],
            [L("bleeding", "bleed"), L("heavily", "badly", "everywhere")],
            [L(*NEG), L("stop"), L("bleeding")],
            [L("bleeding"), L("and"), L("it"), L("wo", "will", "does", "ca", "can"), L(*NEG), L("stop")],
            [L("seeing"), L("double")],
            [L("cut", "wound"), L(*BE, op="?"), L("really", "so", "very", "too", op="?"), L("deep")],
            [L("coughing", "cough", "coughed", "vomiting", "vomited", "throwing", "threw", "puking"),
             L("up", op="?"), L("blood")],
        ],
        "emergency": [
            [L("need", "call"), L("an", "a", op="?"), L("ambulance", "paramedics")],
            [L("call", "need"), L("911", "999", "112")],
        ],
    },
    "harm_to_others": {
        "harm_intent": [
            [FIRST, INTENT, M(*HARM_VERBS), L(*TARGET_PRON)],
            [FIRST, INTENT, M(*HARM_VERBS), L("my", "that", "this", "the"), L(*NAMED)],
            [{"IS_SENT_START": True, "LOWER": {"IN": ["gon", "gonna", "going", "wanna", "want"]}}, INTENT,
             M(*HARM_VERBS), L("my", "that", op="?"), L(*TARGET_PRON, *NAMED)],
            [FIRST, INTENT, M("beat", "kick", "knock"), L("the"), {"OP": "?"}, L("out"), L("of"),
             L(*TARGET_PRON, "my")],
            [FIRST, INTENT, M("smash", "punch", "bash", "break", "kick", "slap"), L("his", "her", "their"),
             L("face", "head", "teeth", "skull", "jaw")],
        ],
        "make_suffer": [[FIRST, INTENT, M("make", "see", "watch"), L(*TARGET_PRON, "my"), L(*PERSON, op="?"),
                         L("suffer", "bleed", "die", "hurt")],
                        [FIRST, INTENT, M("make"), L(*TARGET_PRON), L("pay"), L("for"), L("what", "this", "that")]],
        "want_dead": [[M("want", "wish"), L("him", "her", "them", "he", "she", "they"), L("was", "were", op="?"),
                       L("dead")]],
    },
    # in danger right now: someone at the door, in the driveway, climbing in
    "danger": {
        "intruder": [
            [L("who", "someone", "somebody", "stranger", "man", "guy", "ex", "intruder"),
             L(*BE, "literally", "standing", "sitting", "waiting", "parked", "banging", "knocking", "just", op="*"),
             L("in", "outside", "at", "on"), L("my", "our", "the"),
             L("driveway", "yard", "garden", "porch", "door", "window", "doorstep", "house", "flat", "street"),
             L("literally", op="?"), L("right"), L("now")],
            [L("someone", "somebody", "man", "guy", "he", "they", "stranger", "ex", "intruder"), L("just", *BE, op="*"),
             M("climb", "break", "try", "get", "force"), L("to", "trying", "their", "his", "way", op="*"),
             L("over", "into", "in"), L("the", "my", "our"), L("back", "front", "bedroom", "kitchen", op="?"),
             L("fence", "window", "house", "door", "flat", "apartment", "room", "yard", "garden", "wall")],
            [L("someone", "somebody", "he", "they", "she", "stranger", "man", "guy", "intruder", "ex"), L(*BE),
             L("trying"), L("to"), M("get", "break", "force"),
             L("in", "inside", "into")],
        ],
    },
    "abuse": {
        "abused_by": [
            [L(*ABUSER), L(*ABUSE_FILLER, op="*"), M(*ABUSE_VERBS), L("me")],
            [L("and"), M("touch", "hit", "beat", "slap", "kick", "punch", "choke", "rape", "abuse", "molest",
                         "threaten", "hurt"), L("me")],
            [L("i"), L(*BE, "ve", "'ve", "have", "got", "get", "keep", op="*"), L("getting", "being", "been", op="?"),
             L(*PASSIVE_HARM), L("by"), L("my", "him", "her", "them", op="?"), L(*ABUSER, "him", "her", "them")],
        ],
        # "I get shouted at and hit at home": the client, now, on the receiving end
        "harmed_at_home": [
            [L("i"), L("get", "getting", "keep", "still"), L("getting", op="?"), L(*PASSIVE_HARM, "shouted", "screamed",
             "yelled", op="?"), L("at", "and", op="*"), L(*PASSIVE_HARM), L(*ABUSE_FILLER, "enough", "a", "lot", op="*"),
             L("home", "by")],
        ],
        "threat": [
            [M("threaten"), L("to"), M("kill", "hurt", "harm", "beat", "hit", "take"), L("me", "my", "us")],
            [M("say", "tell", "swear", "promise", "text", "threaten"), L("me", op="?"), L("that", op="?"),
             L(*THREAT_SUBJ), L(*MODAL, op="*"), M("kill", "hurt", "beat", "hit"), L("me")],
            [L("afraid", "scared", "terrified", "frightened", "worried"), L("that", op="?"), L(*THREAT_SUBJ),
             L(*MODAL, op="*"), M("kill", "hurt", "beat", "hit", "rape", "find", "get"), L("me")],
            [L("he", "she", "they", "hell", "shell", "theyll"),
             L("ll", "'ll", "will", "is", "s", "'s", "gon", "na", "going", "to", "gonna", op="*"),
             M("hurt", "beat", "hit", "rape"), L("me")],
        ],
        "fear_of": [
            [L("afraid", "scared", "terrified", "frightened"), L("of"), L("my", op="?"),
             L("him", "her", "them", *PERSON)],
            [L("afraid", "scared", "terrified", "frightened"), L("to"), L("go", "going", "be", "stay"),
             L("back", "at", op="?"), L("home")],
        ],
        "unsafe_home": [
            [L(*NEG), M("feel", "be", op="?"), L("safe"), L("at", "in"), L("my", op="?"), L("own", op="?"),
             L("home", "house", "place")],
            [L("home", "house"), L(*BE), L(*NEG), L("safe")],
            [L("unsafe"), L("at", "in"), L("my", op="?"), L("own", op="?"), L("home", "house", "place")],
            [L("wo", "does", "do", "will", "would"), L(*NEG), L("let"), L("me"),
             L("leave", "go", "see", "out", "talk")],
            [L(*NEG), L("allowed"), L("to"), L("leave"), L("the", "my", op="?"), L("house", "home", "room")],
            [L(*NEG), L("allowed"), L("to"), L("see", "talk", "call"), L("my", "to", op="?"),
             L("friends", "family", "anyone", "anybody", "mum", "mom", "parents")],
        ],
        "being_abused": [
            [L("i"), L(*BE, "ve", "'ve", "have", "got", "get", op="*"), L("being", "been", op="?"),
             L("abused", "raped", "assaulted", "molested", "beaten")],
            [L("being"), L(*PASSIVE_HARM)],
        ],
    },
}

# Matches overlapping one of these are not risk.
IDIOM_PATTERNS: List[list] = [
    [M("overdose"), L("on"), {"LOWER": {"NOT_IN": ["my", "the", "some", "his", "her", "pills", "meds",
                                                    "drugs", "medication", "painkillers", "tablets"]}}],
    [M("hurt"), {"OP": "?"}, {"OP": "?"}, {"OP": "?"}, L("feelings")],
    [M("hit"), L("me"), L("with"), L("so", "too", "many", "more", "emails", "deadlines", "work", "questions")],
    [L("pass", "passed", "passing"), L("out"), L("on", "in", "watching", "asleep", "early")],
    [L("die", "died", "dying"), L("of", "from", "laughing"), L("laughter", "laughing", "boredom",
                                                             "embarrassment", "shame", "cringe")],
    [M("breathe"), L("through"), L("my", op="?"), L("nose")],
    [L("die", "died", "dying", "dead"), L("inside")],
    [L("top", "topping", "topped", "tops"), L("myself", "meself"), L("up")],  # a drink, a phone
    # somewhere not worth staying at: "nothing worth staying for at that party"
    [L("worth"), L("staying", "sticking", "hanging"), L("for", "around", op="?"),
     L("at", "in", "on", "the", "this", "that", "a", "an", "to", "till", "until", "after")],
]

# An accident is not self-harm: "i cut myself shaving", "burnt myself on the oven by accident".
ACCIDENT_PATTERNS: List[list] = [
    [L("by"), L("accident", "mistake")],
    [L("accidentally", "accidental", "shaving", "cooking", "chopping", "baking", "gardening", "ironing")],
]

# Past markers ("distant" past, not "last night").
PAST_PATTERNS: List[list] = [
    [L("used"), L("to")],
    [L("years", "year", "months", "decade", "decades", "long", "ages"), L("time", op="?"), L("ago")],
    [L("when", "while"), L("i"), L("was", "were")],
    [L("as"), L("a", "an", op="?"), L("kid", "child", "teen", "teenager", "boy", "girl", "student", "baby",
                                      "youngster")],
    [L("my"), L("teens", "twenties", "thirties", "youth", "childhood", "20s", "teenage", "adolescence")],
    [L("childhood", "survivor", "survived", "growing")],
    [L("back"), L("then", "in", "when")],
    [L("in", "at"), L("college", "uni", "university", "highschool", "high")],
    [{"TEXT": {"REGEX": r"^(19|20)\d\d$"}}],
    [L("last"), L("year")],
    [L("the"), L("last"), L("time")],
    [L("old", "previous", "former", "first", "last"), L("relationship", "marriage", "partner", "husband", "wife",
                                                         "boyfriend", "girlfriend")],
    [L("my"), L("past")],
]
RECENT_PATTERNS: List[list] = [
    [L("again", "still", "tonight", "today", "now", "rn", "yesterday", "anymore", "currently", "lately",
       "recently")],
    [L("last", "this"), L("night", "week", "morning", "evening", "afternoon")],
    [L("right"), L("now")],
    [L("hour", "hours", "minutes", "minute"), L("ago")],
]
# "I'm safe now"-type statements that make a past-tense match a past event.
SAFE_NOW_PATTERNS: List[list] = [
    [L("safe", "better", "stable", "fine", "ok", "okay", "out", "clean", "recovered"), L("now", "since")],
    [L("doing", "much", "in"), L("better", "a")],
    [M("get", "got"), L("through")],
    [L("recovered", "none")],
    [L("not"), L("now")],
    [M("help"), L("a", "me", op="?"), L("lot")],
]

NEGATORS = frozenset(NEG) | {"nobody", "none", "nothing"}
# Words that may stand between a negator and the risky words: "i don't [really want to] kill myself".
NEG_BRIDGE = frozenset({
    "do", "does", "did", "am", "m", "'m", "is", "are", "was", "were", "be", "been", "would", "will", "ll",
    "'ll", "wo", "could", "ca", "can", "should", "have", "has", "had", "ve", "'ve", "d", "'d", "really",
    "even", "just", "ever", "going", "gon", "na", "to", "want", "wanna", "feel", "felt", "think", "thinking",
    "thought", "of", "about", "having", "any", "intention", "intentions", "thoughts", "urge", "urges",
    "plan", "plans", "tried", "try", "trying", "planning", "considering", "actually", "currently",
    "seriously", "honestly", "at", "all", "so", "like",
})
# A trailing clause that takes it back: "... but i won't", "... but i never did", "not now".
TAKEBACK = frozenset({"but", "i", "wo", "would", "will", "did", "do", "ll", "d", "ever", "now"}) | NEGATORS
CLAUSE_BREAKS = frozenset({".", ",", "!", "?", ";", ":", "but", "though", "although", "however", "and",
                           "because", "cause", "bc"})
FIRST_PERSON = frozenset({"i", "ill", "myself", "me", "my"})
OTHER_PEOPLE = frozenset(
    {"he", "she", "they", "hes", "shes", "theyre", "someone", "somebody", "who", "people", "person", "man",
     "woman", "girl", "boy", "guy", "character", "villain", "patient", "client", "student", "classmate",
     "song", "show", "movie", "film", "book", "podcast", "documentary", "news", "article", "story",
     "episode", "video", "friends", "team", "grandfather", "grandmother"} | set(PERSON) - {"family"}
)
# Past-tense forms the "ed" test misses (hit/hurt/cut/beat are also present: only used with a marker).
PAST_FORMS = frozenset({"was", "were", "had", "did", "tried", "took", "thought", "felt", "hit", "hurt", "cut",
                        "beat", "went", "made", "said"})
TOPIC_VERBS = frozenset({"talk", "discuss", "speak", "read", "learn", "watch", "hear", "cover", "go"})

# Text fixes before tokenising: spelling variants and slang become one canonical word.
TEXT_FIXES: List[Tuple[str, str]] = [
    (r"[\u2018\u2019\u02bc`]", "'"),
    (r"\bmy\s+self\b", "myself"),
    (r"\bself[\s-]*harm", "selfharm"),
    (r"\bsewer[\s-]*slide\b", "sewerslide"),
    (r"\bun[\s-]+aliv", "unaliv"),
    (r"\bo\.?d(?:'?d|ed|ing)\b", "overdosed"),
    (r"\bod\b", "overdose"),
    (r"\bsh[-']?ing\b", "selfharming"),
]
SPELLING: Dict[str, str] = {
    "kil": "kill", "kiling": "killing", "killin": "killing", "kll": "kill",
    "suicidle": "suicidal", "sucidal": "suicidal", "suicdal": "suicidal", "suisidal": "suicidal",
    "suicidel": "suicidal", "sucidle": "suicidal", "suacidal": "suicidal", "sucide": "suicide",
    "suicde": "suicide", "suiside": "suicide", "suacide": "suicide", "cutt": "cut", "cuttin": "cutting",
    "hurtin": "hurting", "dyin": "dying", "myslef": "myself", "mysef": "myself", "breath": "breathe",
    "wnat": "want", "anymor": "anymore",
}
# Lemmas the lookup table lacks or gets wrong ("dying" -> "dye").
LEMMA_FIXES: Dict[str, str] = {
    "dying": "die", "unaliving": "unalive", "unalived": "unalive", "selfharming": "selfharm",
    "selfharmed": "selfharm", "selfharms": "selfharm", "bit": "bite",
}


# Words whose presence means the rules have looked at the risk in a message:
# when none of the patterns fires on such a message, a classifier's guess of
# crisis is overruled (see `assess`).
RISK_LEMMAS = frozenset({
    "kill", "die", "dead", "death", "suicide", "suicidal", "unalive", "hurt", "harm", "selfharm",
    "cut", "burn", "hit", "beat", "abuse", "overdose", "pill", "danger", "unsafe", "safe",
    "attack", "threaten", "murder", "stab", "choke", "heart", "breathe", "bleed", "end", "live",
})


# --------------------------------------------------------------------------- #
@lru_cache(maxsize=1)
def _nlp():
    import spacy

    name = os.environ.get("SPACY_MODEL")
    if name:
        try:
            return spacy.load(name, exclude=["ner", "textcat"])
        except Exception:  # noqa: BLE001 - a missing/broken model falls back to the blank pipeline
            pass
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def _matchers():
    from spacy.matcher import Matcher

    vocab = _nlp().vocab
    risk = Matcher(vocab)
    for category, rules in RISK_PATTERNS.items():
        for rule, patterns in rules.items():
            risk.add(f"{category}:{rule}", patterns)
    markers = Matcher(vocab)
    markers.add("idiom", IDIOM_PATTERNS)
    markers.add("past", PAST_PATTERNS)
    markers.add("recent", RECENT_PATTERNS)
    markers.add("safe_now", SAFE_NOW_PATTERNS)
    markers.add("accident", ACCIDENT_PATTERNS)
    return risk, markers


def _parse(text: str):
    text = text.lower()
    for pattern, repl in TEXT_FIXES:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"[a-z]+", lambda m: SPELLING.get(m.group(0), m.group(0)), text)
    doc = _nlp()(text.strip() + " .")  # a final punctuation token closes the last clause
    for tok in doc:
        fixed = LEMMA_FIXES.get(tok.lower_)
        if fixed:
            tok.lemma_ = fixed
    return doc


def _clauses(doc) -> List[int]:
    """Clause number of each token; a break word starts a new clause."""
    ids, current = [], 0
    for tok in doc:
        if tok.lower_ in CLAUSE_BREAKS:
            current += 1
        ids.append(current)
    return ids


def _negated(doc, start: int, end: int, clause: List[int]) -> bool:
    i = start - 1
    while i >= 0 and clause[i] == clause[start] and start - i <= 7:
        word = doc[i].lower_
        if word in NEGATORS:
            return True
        if word not in NEG_BRIDGE:
            break
        i -= 1
    # "... but i won't" / "... not now": a short following clause made of take-back words.
    following = [t.lower_ for t, c in zip(doc[end:], clause[end:]) if c == clause[end - 1] + 1 and not t.is_punct]
    return bool(following) and set(following) <= TAKEBACK and bool(set(following) & NEGATORS)


def _about_someone_else(doc, start: int, end: int, clause: List[int]) -> bool:
    if any(t.lower_ in FIRST_PERSON for t in doc[start:end]):
        return False  # "better off without me", "end my life": anchored on the client
    for i in range(start - 1, -1, -1):
        if clause[i] != clause[start]:
            break
        word = doc[i].lower_
        if word in ("i", "ill", "myself"):
            return False
        if word in OTHER_PEOPLE:
            return True
        if word == "we" and any(t.lemma_ in TOPIC_VERBS for t in doc[i:start]):
            return True  # "we talked about self harm safety planning"
    return False


def _is_past(doc, start: int, clause: List[int], spans: Dict[str, List[Tuple[int, int]]]) -> bool:
    here = clause[start]
    if any(clause[s] == here for s, _ in spans["recent"]):
        return False
    if any(clause[s] == here for s, _ in spans["past"]):
        return True
    # A past-tense verb in the clause, plus a distant-past marker or "i'm safe now" anywhere.
    if spans["past"] or spans["safe_now"]:
        for tok, c in zip(doc, clause):
            if c == here and (tok.lower_ in PAST_FORMS
                              or (tok.lower_.endswith("ed") and tok.lower_ != tok.lemma_)):
                return True
    return False


def detect(text: str) -> Optional[Risk]:
    """The current risk shown by a client message, or None."""
    return assess(text)[0]


def assess(text: str) -> Tuple[Optional[Risk], bool]:
    """(risk, cleared): the current risk, or None; `cleared` is True when the
    message has risk words that the rules judged harmless (an idiom, a
    negation, the past, someone else), so a classifier's guess of crisis on it
    can be overruled."""
    if not text or not text.strip():
        return None, False
    risk_matcher, marker_matcher = _matchers()
    doc = _parse(text)
    clause = _clauses(doc)
    vocab = doc.vocab.strings
    spans: Dict[str, List[Tuple[int, int]]] = {"idiom": [], "past": [], "recent": [], "safe_now": [], "accident": []}
    for match_id, s, e in marker_matcher(doc):
        spans[vocab[match_id]].append((s, e))

    found: List[Tuple[int, int, Risk]] = []
    matches = risk_matcher(doc)
    for match_id, start, end in matches:
        category, rule = vocab[match_id].split(":", 1)
        if any(s < end and start < e for s, e in spans["idiom"]):
            continue
        if category == "self_harm" and any(clause[s] == clause[start] for s, _ in spans["accident"]):
            continue
        if _negated(doc, start, end, clause):
            continue
        if _is_past(doc, start, clause, spans):
            continue
        if category in ("suicide", "self_harm", "medical") and _about_someone_else(doc, start, end, clause):
            continue
        found.append((CATEGORIES.index(category), start, Risk(category, rule)))
    if found:
        return min(found, key=lambda f: (f[0], f[1]))[2], False
    return None, bool(matches or spans["idiom"] or any(t.lemma_ in RISK_LEMMAS for t in doc))
