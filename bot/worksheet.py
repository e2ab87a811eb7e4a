"""Content of the "Building Trust and Safety in Therapy" worksheet.

One source of truth for every question, checklist item and tip. The domain's
question texts are generated from this module (``python -m bot domain-check``
verifies they agree), the actions and the export read it, and the clinician
summary will too. Wording follows the worksheet so a clinician recognises it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

WORKSHEET_TITLE = "Building Trust and Safety in Therapy"

WHAT_TO_KNOW = (
    "Trust is the cornerstone of the relationship between you and your "
    "therapist. It lets you share openly and work on what matters to you. "
    "Feeling hesitant to trust someone new is natural, especially if trust "
    "has been broken before, and trust takes time to build. This worksheet "
    "helps you notice where you might be holding back and what you need to "
    "feel safe."
)

CHECKLIST_PROMPT = (
    "If you are holding back in therapy sessions, trust may be lacking. "
    "Check off any statements that apply to you."
)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    description: str
    keywords: Tuple[str, ...]  # words a client might use to name the item


CHECKLIST: Tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "limited_disclosure", "Limited Disclosure",
        "You share only surface-level information and keep important thoughts "
        "and feelings to yourself.",
        ("disclosure", "share", "sharing", "surface", "open up", "keep things"),
    ),
    ChecklistItem(
        "avoidance_vulnerable_topics", "Avoidance of Vulnerable Topics",
        "You steer away from topics that feel painful, embarrassing or too "
        "personal.",
        ("avoid", "avoidance", "vulnerable", "topics", "painful topics"),
    ),
    ChecklistItem(
        "minimal_engagement", "Minimal Engagement",
        "You participate as little as possible during sessions or with "
        "activities between them.",
        ("engagement", "engage", "participate", "minimal", "little effort"),
    ),
    ChecklistItem(
        "resistance_to_feedback", "Resistance to Feedback",
        "You find it hard to accept or consider your therapist's feedback or "
        "suggestions.",
        ("resistance", "resist", "feedback", "suggestions"),
    ),
    ChecklistItem(
        "reluctance_past_trauma", "Reluctance to Explore Past Trauma",
        "You hold back from talking about difficult past experiences or trauma.",
        ("trauma", "past", "reluctance", "reluctant", "history"),
    ),
    ChecklistItem(
        "dishonesty_concealment", "Dishonesty or Concealment",
        "You hide information or say things that are not quite true in session.",
        ("dishonest", "dishonesty", "conceal", "concealment", "hide", "hiding",
         "lie", "lying", "not honest", "not being honest", "not fully honest", "not always honest"),
    ),
    ChecklistItem(
        "difficulty_boundaries", "Difficulty Establishing Boundaries",
        "You find it hard to say what is and is not okay for you in sessions.",
        ("boundary", "boundaries"),
    ),
    ChecklistItem(
        "inconsistent_attendance", "Inconsistency in Attendance or Engagement",
        "You often cancel, miss or arrive late to sessions, or your engagement "
        "comes and goes.",
        ("attendance", "attend", "cancel", "miss", "missing", "late", "show up", "turn up",
         "inconsistent", "inconsistency"),
    ),
)

CHECKLIST_BY_KEY: Dict[str, ChecklistItem] = {item.key: item for item in CHECKLIST}


@dataclass(frozen=True)
class Question:
    slot: str          # the Rasa slot, also the storage field
    label: str         # short label for lists, exports and the summary
    text: str          # the question as asked
    free_text: bool = True  # reflection-style answer (one-word answers invited to say more)


# The reflection questions, one at a time, in the worksheet's wording.
REFLECTION_QUESTIONS: Tuple[Question, ...] = (
    Question("q1_trust_meaning", "What trust means to me",
             "What does trust mean to you? Describe in your own words what trust "
             "looks like in any relationship, including with your therapist."),
    Question("q2_past_trust", "A time trust was well established",
             "Think about a past experience where you felt trust was well "
             "established. What factors contributed to this feeling of trust?"),
    Question("q3_safety_meaning", "What safety means to me",
             "What does safety mean to you? What makes a space or interaction "
             "feel safe to you?"),
    Question("q4_safety_conditions", "Conditions I need to feel safe",
             "What specific conditions do you need in therapy to feel safe?"),
    Question("q5_communicate_needs", "Communicating my safety needs",
             "How might you communicate your safety needs to your therapist? What "
             "would make you feel comfortable sharing these needs?"),
    Question("q6_need_1", "Need in the relationship (1)",
             "Name up to three things you need in the therapeutic relationship. "
             "What is the first one?", free_text=False),
    Question("q6_need_2", "Need in the relationship (2)",
             "What is the second thing you need? (Or say \"that's all\".)",
             free_text=False),
    Question("q6_need_3", "Need in the relationship (3)",
             "And a third? (Or say \"that's all\".)", free_text=False),
    Question("q7_hoped_actions", "What I hope to see from my therapist",
             "What actions or behaviors do you hope to see from your therapist "
             "that would help you build trust and feel safe?"),
    Question("q8_feedback", "Giving and receiving feedback",
             "How would you like to give and receive feedback with your therapist?"),
)

CHECKIN_QUESTIONS: Tuple[Question, ...] = (
    Question("session_date", "Session date",
             "When was the session? (For example: today, yesterday, Monday, or "
             "a date like 2026-03-14.)", free_text=False),
    Question("session_topic", "Topic discussed",
             "What topic did you discuss in the session?", free_text=False),
    Question("trust_rating", "Trust (1-10)",
             "How much did you trust your therapist in this session, from 1 to 10? "
             "(1 = I completely distrust my therapist, 10 = I trust my therapist "
             "completely)", free_text=False),
    Question("safety_rating", "Safety (1-10)",
             "How safe did you feel, from 1 to 10? (1 = I don't feel safe at all, "
             "10 = I feel completely safe with my therapist)", free_text=False),
    Question("therapist_could_do", "What could have increased safety or trust",
             "What could your therapist have done to increase safety or trust?"),
    Question("agenda_item", "To bring up next session",
             "Is there anything you'd like to bring up next session? (Or say "
             "\"nothing\".)", free_text=False),
)

CLOSING_QUESTIONS: Tuple[Question, ...] = (
    Question("closing_trust", "Do I trust my therapist?",
             "Do you trust your therapist?", free_text=False),
    Question("closing_safe", "Do I feel safe in the relationship?",
             "Do you feel safe within the therapeutic relationship?", free_text=False),
    Question("closing_why", "Why or why not",
             "Why or why not?"),
    Question("closing_surprise", "What surprised me",
             "Did anything surprise you about this exercise?"),
    Question("closing_helpful", "How helpful it was (1-10)",
             "How helpful was this exercise for you, from 1 to 10?", free_text=False),
)

# Slots whose answers are whole-number ratings 1-10.
RATING_SLOTS = frozenset({"trust_rating", "safety_rating", "closing_helpful"})
DATE_SLOTS = frozenset({"session_date"})
# Answers that may be "nothing"/"that's all" without counting as a skip.
OPTIONAL_SLOTS = frozenset({"q6_need_2", "q6_need_3", "agenda_item"})
CHECKLIST_SLOT = "holding_back"
INTRO_SLOT = "read_intro"

# The flows, in the order a client meets them. Each is one Rasa form.
FLOWS: Dict[str, Tuple[str, ...]] = {
    "worksheet": (INTRO_SLOT, CHECKLIST_SLOT) + tuple(q.slot for q in REFLECTION_QUESTIONS),
    "checkin": tuple(q.slot for q in CHECKIN_QUESTIONS),
    "closing": tuple(q.slot for q in CLOSING_QUESTIONS),
}
FLOW_TITLES = {
    "worksheet": "the worksheet",
    "checkin": "the session check-in",
    "closing": "the closing reflection",
}

QUESTIONS: Dict[str, Question] = {
    q.slot: q for q in REFLECTION_QUESTIONS + CHECKIN_QUESTIONS + CLOSING_QUESTIONS
}
QUESTIONS[CHECKLIST_SLOT] = Question(CHECKLIST_SLOT, "Holding-back checklist",
                                     CHECKLIST_PROMPT, free_text=False)
QUESTIONS[INTRO_SLOT] = Question(
    INTRO_SLOT, "What to know",
    "Would you like a short explanation of why trust matters before we start?",
    free_text=False)

SLOT_TO_FLOW: Dict[str, str] = {
    slot: flow for flow, slots in FLOWS.items() for slot in slots
}


def checklist_text() -> str:
    """The checklist as the client sees it: the prompt and the numbered items."""
    lines = [CHECKLIST_PROMPT, ""]
    for number, item in enumerate(CHECKLIST, start=1):
        lines.append(f"{number}. {item.title}: {item.description}")
    lines.append("")
    lines.append('Type the numbers that apply (for example "1 and 4"), or "none".')
    return "\n".join(lines)


def checklist_titles(keys: List[str]) -> List[str]:
    return [CHECKLIST_BY_KEY[k].title for k in keys if k in CHECKLIST_BY_KEY]



@dataclass(frozen=True)
class Tip:
    key: str
    title: str
    text: str                   # the short explanation
    example: str = ""           # the worksheet's example, where it gives one
    keywords: Tuple[str, ...] = ()  # words a client might use when asking for it


# Trust-building tips: the worksheet's, then the practice's view.
TIPS: Tuple[Tip, ...] = (
    Tip("open_communication", "Openly communicate",
        "Share your thoughts, feelings and concerns with your therapist, including "
        "how you feel about therapy itself. It is okay to say you find it hard to trust.",
        "For example: \"I find it hard to talk about this, and I'm not sure why.\"",
        ("open up", "honest", "honesty", "share", "sharing", "talk about",
         "communicate", "hiding", "hide")),
    Tip("boundaries", "Establish boundaries",
        "Let your therapist know what you are and are not comfortable with, such as "
        "topics you are not ready to explore yet. A good therapist will respect them.",
        "For example: \"I'm not ready to talk about my family yet; can we come back to it later?\"",
        ("boundary", "boundaries", "not ready", "comfortable", "say no", "limits")),
    Tip("feedback", "Offer feedback",
        "Tell your therapist what is working and what is not. Negative feedback too: "
        "saying what did not help, and repairing a rupture together, tends to build "
        "more trust, not less.",
        "For example: \"Last week I felt rushed when we changed topic. Could we slow down?\"",
        ("feedback", "didn't work", "didnt work", "not working", "criticis", "complain", "tell her what",
         "tell him what")),
    Tip("realistic_expectations", "Set realistic expectations",
        "Trust takes time to build. It is normal not to feel fully at ease after a few "
        "sessions, and trust can grow gradually.",
        "",
        ("expectations", "takes so long", "still don't trust", "still dont trust", "after 5", "after five",
         "sessions and", "how long", "normal")),
    Tip("explore_past", "Explore past experiences",
        "Past experiences, especially where trust was broken, can shape how you trust "
        "now. Exploring them with your therapist, at your own pace, can help you "
        "understand your hesitation.",
        "",
        ("past", "history", "childhood", "trauma", "before", "used to")),
    Tip("patience", "Be patient with yourself",
        "Building trust can be difficult, especially if it has been broken before. Go "
        "at your own pace and be kind to yourself along the way.",
        "",
        ("patient", "patience", "slow", "my fault", "hard on myself", "frustrated")),
    Tip("celebrate_progress", "Celebrate progress",
        "Notice and acknowledge the moments when you felt more trust or safety, however "
        "small. They show the relationship growing.",
        "",
        ("progress", "better", "improving", "celebrate")),
    Tip("prepare_sessions", "Prepare for sessions",
        "Think beforehand about what you would like to discuss, and note it down. It "
        "makes it easier to bring up what matters, even when it feels hard in the room.",
        "",
        ("prepare", "before my session", "beforehand", "what to say", "what to talk", "get more out")),
    Tip("attend_regularly", "Attend regularly",
        "Coming to sessions regularly gives trust a chance to build. If attending is "
        "hard, that is worth talking about with your therapist too.",
        "",
        ("attend", "cancel", "miss", "skip sessions", "regularly", "show up", "going back")),
    Tip("clear_goals", "Set clear goals",
        "Agreeing with your therapist on what you want from therapy helps you both see "
        "where you are going and notice progress.",
        "",
        ("goal", "goals", "what i want from", "direction", "point of therapy")),
)
TIPS_BY_KEY: Dict[str, Tip] = {tip.key: tip for tip in TIPS}

# Which tips answer which ticked checklist items.
TIPS_FOR_CHECKLIST: Dict[str, Tuple[str, ...]] = {
    "limited_disclosure": ("open_communication",),
    "dishonesty_concealment": ("open_communication",),
    "avoidance_vulnerable_topics": ("explore_past", "patience"),
    "reluctance_past_trauma": ("explore_past", "patience"),
    "minimal_engagement": ("prepare_sessions",),
    "resistance_to_feedback": ("feedback",),
    "difficulty_boundaries": ("boundaries",),
    "inconsistent_attendance": ("attend_regularly", "realistic_expectations"),
}

# Drafting a boundary or a piece of feedback to bring to the next session.
DRAFT_QUESTIONS: Tuple[Question, ...] = (
    Question("draft_what", "What happened or what I need",
             "Let's put it into words together. First: what happened, or what do you need?",
             free_text=False),
    Question("draft_feeling", "How it felt",
             "How did it feel for you?", free_text=False),
    Question("draft_instead", "What I would like instead",
             "What would you like instead?", free_text=False),
    Question("draft_text", "My draft",
             "Say \"keep it\" to save this for your next session, or type a new version "
             "to replace it.", free_text=False),
)
for _question in DRAFT_QUESTIONS:
    QUESTIONS[_question.slot] = _question
FLOWS["draft"] = tuple(q.slot for q in DRAFT_QUESTIONS)
FLOW_TITLES["draft"] = "your draft"
SLOT_TO_FLOW.update({q.slot: "draft" for q in DRAFT_QUESTIONS})


def compose_draft(what: Optional[str], feeling: Optional[str], instead: Optional[str]) -> str:
    """The client's three answers as one message to read to the therapist."""
    def part(text: Optional[str], lead: str) -> str:
        text = (text or "").strip().rstrip(".!")
        text = re.sub(rf"^(?:i|it)\s+(?:{lead})\s*", "", text, flags=re.I)
        return text
    what = (what or "").strip().rstrip(".!")
    return f"{what[:1].upper()}{what[1:]}. I felt {part(feeling, 'felt')}. I'd like {part(instead, 'would like|want|.d like')}."


# What a question is asking, in other words, with an example: the reply to
# "what do you mean?", "can you give me an example?" while it is open.
QUESTION_HINTS: Dict[str, str] = {
    INTRO_SLOT: "I can share a few lines on why trust matters in therapy before the questions start. "
                "Just say yes or no.",
    CHECKLIST_SLOT: "Each statement is a way people sometimes hold back in therapy. Pick the ones that sound "
                    "like you, by their numbers: for example \"2 and 5\", or \"none\" if none fit.",
    "q1_trust_meaning": "There's no right answer: it's what trust looks like for you. For example: \"knowing "
                        "someone won't judge me or repeat what I say\", or \"that they do what they say they will\".",
    "q2_past_trust": "Think of any relationship where trust came easily: a friend, a teacher, a relative. What "
                     "made it work? For example: \"my grandmother always kept her word and never laughed at me\".",
    "q3_safety_meaning": "Think about places or people where you could relax and be yourself. For example: "
                         "\"a calm voice, nobody rushing me, being able to leave if I need to\".",
    "q4_safety_conditions": "These are the things in the therapy room that help you feel at ease. For example: "
                            "\"being told what will happen with what I share\", \"not being pushed to talk about "
                            "my past before I'm ready\".",
    "q5_communicate_needs": "This is about how you might tell your therapist what you need. For example: \"I could "
                            "write it down and read it out\", or \"it would help if she asked me at the start\".",
    "q6_need_1": "A few words are enough: for example \"honesty\", \"patience\", \"being listened to\".",
    "q6_need_2": "Another thing you need from the relationship, in a few words, or \"that's all\".",
    "q6_need_3": "One more thing you need, in a few words, or \"that's all\".",
    "q7_hoped_actions": "Think of things your therapist could do, or keep doing. For example: \"check in with me "
                        "when I go quiet\", \"explain why she's asking something\".",
    "q8_feedback": "This is about how you and your therapist could tell each other what is and isn't working. "
                   "For example: \"a quick check at the end of each session\", \"in writing first\".",
    "session_date": "The day of your most recent session: for example \"today\", \"yesterday\", \"Monday\", "
                    "\"11/20\" or \"a week ago\".",
    "session_topic": "A few words on what you talked about is enough: for example \"my mum\", \"work stress\", "
                     "\"why I cancelled last time\".",
    "trust_rating": "1 means you didn't trust your therapist at all in this session, 10 that you trusted them "
                    "completely; anything in between is fine. Just type a number from 1 to 10.",
    "safety_rating": "1 means you didn't feel safe at all in this session, 10 that you felt completely safe; "
                     "anything in between is fine. Just type a number from 1 to 10.",
    "therapist_could_do": "Anything your therapist could have done differently, even small. For example: "
                          "\"slowed down\", \"asked before changing topic\". \"Nothing\" is a fine answer too.",
    "agenda_item": "Anything you'd like to remember to raise next time, or \"nothing\".",
    "closing_trust": "Overall, at this point: do you trust your therapist? Yes, no, or somewhere in between.",
    "closing_safe": "Overall: do you feel safe in your relationship with your therapist? Yes, no, or in between.",
    "closing_why": "What makes you answer the way you did? For example: \"she remembers what I tell her\".",
    "closing_surprise": "Anything you noticed while doing the worksheet that you didn't expect, or \"no\".",
    "closing_helpful": "1 means not helpful at all, 10 very helpful. Just type a number from 1 to 10.",
    "draft_what": "Describe what happened in the session, or what you need, in your own words. For example: "
                  "\"you looked at the clock while I was talking\".",
    "draft_feeling": "How it felt for you, in a few words. For example: \"rushed\", \"like I didn't matter\".",
    "draft_instead": "What you would like your therapist to do instead. For example: \"ask me if I want to go "
                     "on\", \"put the phone away\".",
    "draft_text": "Say \"keep it\" to save the draft as it is, or type the whole message the way you'd like it.",
}
