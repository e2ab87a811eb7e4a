"""The words that say what a message mid-question is, beside the intent
classifier: a question about the question, a social remark, or a command.

A command is taken as one only when these words and the classifier agree, or
the words are unmistakable; where only one of them says "command" the client
is asked (see `bot.dialogue.decide`). So a retraining that moves the
classifier's confidence can turn a command into a question to the client,
never into a stored answer.
"""
from __future__ import annotations

import re
from typing import Optional

_FLAGS = re.I


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


# "what do you mean?", "huh?", "can you give me an example"
ABOUT_THE_QUESTION = _any(
    r"^\W*(huh|what|wut|wat|wdym|eh|pardon|sorry|come again|meaning)\W*$",
    r"\bwhat (do|does|did) (you|u|ya|that|this|it|the question) (mean|meant)",
    r"\bwdym\b",
    r"\b(i )?(don'?t|dont|do not|didn'?t|didnt|not sure i|can'?t) (quite |really |fully )?(get(?=\W*$| (it|this|that|the question|what|you|u|ya)\b)|understand|follow|know what (you|u)('re| are| r)? ?(asking|mean|want))",
    r"\b(give|show|got) (me )?(an |some |a )?examples?\b",
    r"\b(for|an?) example\s*\?",
    r"\bexamples?\?",
    r"\bwhat (kind|sort|type) of (answer|thing|stuff|response)",
    r"\bwhat (are|r) (you|u) (asking|looking for|after)\b",
    r"\bwhy (do |would |are |did )?(you|u) (ask|asking|need|want|wanna)( this| that| me| to know| for)?\b",
    r"\bnot sure what (you|u)('re| are| r)? (asking|after|looking for|mean)",
    r"\b(can|could|would) (you|u) (explain|rephrase|reword|clarify|say (it|that) (differently|another way))",
    r"^\W*(?!.*\b(about|by|with) (her|him|them|my|myself|me|life|everything|things|us)\b)[\w' ]{0,20}"
    r"\b(confused|confusing|makes no sense)\b[\w' ]{0,20}\W*$",
    r"\b(what|which|how) (exactly )?is meant\b|\bis meant (by|with)\b",
    r"\bwhat does .{1,50} mean\b",
    r"^(like|you mean|do you mean|as in) .{0,60}\?\s*$",
    r"\bwhat counts as\b",
    r"\bwhich (end|number) is (good|bad|better|best|worse|high|low)",
    r"\b(good|bad|better|best|worse|high|low|top|bottom) end\b",
    r"\b(what|wat) (you|u) mean\b",
    r"\b(do|did|does) (you|u|it|this|that|the question) (mean|refer to)\b",
    r"\b(is|was) (that|this|it) what (you|u) (mean|meant|want|are asking|r asking|are looking for)",
    r"\bnot sure (if|whether) (this|that|thats|that'?s|it'?s|its|i'?m|im) (is )?(what|the kind|answering)",
    r"\b(is|are) (that|this|these) the (kind|sort|type) of (thing|answer)",
    r"\b(what is|is it|what'?s) meant\b|\bin (which|what) sense\b",
    r"\bwhat'?s .{1,30} mean\b",
    r"\bwhat (is|are) [\w' ]{1,30} even\b",
    r"\b(instead of|like) what\b",
    r"\bexamples? (pls|please|plz)\b",
    r"\b(does|do|must|should) (it|this|that|they|i) (have|need) to be\b",
    r"\bcan it (also |only )?be\b",
    r"\b(does|would|will|do) (that|this|it|these) count\b",
    r"^\W*(does|would|will|can|could) [\w' ]{1,30} count( as [\w' ]{1,20})?\s*\?",
    r"\b(is|are) (this|that|it|you) (just |only |all |really )?(asking|about) (about |for )?\w+.{0,40}\bor\b",
    r"\b(should|do|must|can|shall) i (rate|answer|write|put|include|type|mention|count|give|list|say)\b.{0,80}\bor\b",
    r"\bdo i (type|write|put|click|pick|choose)\b",
    r"\bwhere (does|do|would) (that|it|this|i) (go|fit|put)\b",
    r"\bhalf (a )?(number|point|mark)s?\b",
    r"\bdoes \d+ mean\b",
    r"^\W*which \w+( \w+)?( tho| though)?\b.{0,30}\?\s*$",
    r"\bis (1|one|10|ten|a (1|10)) (good|bad|high|low|the (best|worst))",
    r"\bdifference between\b",
    r"\b(can|could|may|should|do|am) i (allowed to )?(pick|choose|select|tick|check|name|give|mark) (more than|multiple|several|two|a few|many|only|just)\b",
    r"\bmore than (one|1)\b[^.!]{0,30}\?",
    r"\bwhich way (does|is|do|round)\b",
    r"\b(1|one|10|ten) (is|=|means?) (the )?(high|low|good|bad|best|worst|highest|lowest|top|bottom)\w*\W*\?",
    r"\bwhat (would|does|do|should|will) (a |an )?(\d+|one|ten|five) (mean|be|look like|stand for)\b",
    r"\bwhat (would|should|will|might) (that|this|it|an answer) (mean|look like)\b",
    r"^\W*['\"“‘][^'\"”’]{2,40}['\"”’]\s*\?+\s*$",
    r"\b(do|must|should) i (have|need) to (pick|tick|choose|select|check|name|answer|give)\b",
    r"\b(is|would) (that|this|\d+|a \d+|one|two|three|four|five|six|seven|eight|nine|ten) (considered )?"
    r"(neutral|bad|good|high|low|okay|ok|normal|average|middle|too (high|low))\b[^.!]{0,40}(\?|\bor\b)",
    r"^\W*(if i (say|put|give|pick) (a )?\d+|is \d+)\b.{0,20}\b(bad|good|high|low|neutral|ok|okay|normal)\b",
    r"\b(what'?s|what is|whats) (a )?(normal|typical|average|usual|good|bad) (score|number|rating|answer)\b",
    r"\bcompared to what (other )?people\b",
    r"\b(the )?(date|day) of (the |my )?(therapy )?(session|appointment)\b.{0,20}\bor\b",
    r"\b(having|have|got) a doubt\b|\bmeaning what\b",
    r"\bwhat (sort|kind|type) of \w+ (are|is|do|does) (they|you|u|it|this)( \w+)? (after|asking|looking for|want|mean)\b",
    r"\bhow (do|would|did|does) (other people|others|people|most people|everyone|someone) (answer|respond|reply|fill)\b",
)

# Greetings, thanks, fillers and laughter: not an answer to an open question.
_GREETING = _any(r"^\W*(hi+|hey+|hello+|hiya|yo|sup|good (morning|afternoon|evening)|hi there|hey there)( again| there)?\W*$")
_THANKS = _any(r"^\W*(thanks?|thank (you|u)|thx|ty|cheers|ta)( (so|very) much| a lot)?\W*$")
SOCIAL = _any(
    _GREETING.pattern,
    _THANKS.pattern,
    r"^\W*(ok+|okay|okey|k+|kk|alright|alrighty|cool|nice|great|sure|fine|right|gotcha|got it|yep|yeah|yes|ya|yup|mhm|uh huh)\W*$",
    r"^\W*(lol+|lmao|haha+|hehe+|hmm+|hm+|umm*|uh+|erm+|ah+|oh+|meh|wow)\W*$",
    r"^[\W_]*$",
    # slips and asides: "lol my cat walked on the keyboard", "sorry, never said hello"
    r"\b(cat|dog|kid|baby|toddler|son|daughter) (just )?(walked|sat|stepped|typed|jumped) (on|across)\b",
    r"\b(typo|wrong (chat|window|button|key)|pressed (the )?wrong|sent (that |it |this )?(too early|by accident|by mistake)|"
    r"ignore (that|this|the last|my last))\b",
    r"\bnever said (hello|hi|hey)\b",
    r"^\W*(oops+|whoops+|oopsie|my bad|jk|j/k|just kidding|(lol|lmao|haha+) (ok|okay|k|cool|sure|fine)( cool)?|"
    r"ok(ay)? cool|cool cool)\W*$",
    r"^\W*(thanks?|thank (you|u))( (so|very) much)?,? (dear|love|hun|pet|darling|mate)\W*$",
    r"\b(you'?re|you are|ur) (being )?(very|so|really|ever so) (patient|kind|helpful|sweet|lovely)( with me)?\W*$",
    r"\b(pressed|hit|clicked) (send|enter) (too (early|soon)|by (accident|mistake))\b",
    r"\b(cat|dog|kid|baby|toddler|son|daughter|kitten|puppy)\b.{0,20}\b(on|across) the (keyboard|keys|phone|screen)\b",
    r"\b(was|got|i'?m|im) (a bit |so )?distracted\b",
    # a mash of keys ("jsjdkskd", "jjjjjj"): one word with no vowel, or one letter again and again
    r"^\W*(?=\w{4,}\W*$)(?:[b-df-hj-np-tv-z]+|(\w)\1{3,})\W*$",
    r"^\W*(thanks?|thank (you|u)|thx|ty)( so much| a lot)? for (being|your|the|this|helping|listening|asking)\b[^.!?]{0,30}\W*$",
    # thanks, then a word about it: "thanks so much for this, it's nice to have somewhere to put it all"
    r"^\W*(thanks?|thank (you|u)|thx|ty)( so much| a lot| very much)?( for (this|that|listening|everything|asking|"
    r"being (here|patient)))?\W+(it'?s|this is|that'?s|you'?ve been|you have been|you'?re|you are)( actually| really|"
    r" so| quite| very| been)* (nice|good|great|helpful|lovely|useful|kind|a (real )?help|patient)\b[^?]{0,80}$",
    # a word about the assistant or the app itself: "this app is so slow today", "you're better at wording than me"
    r"^\W*((wait|ok|okay|lol|omg|wow|honestly|haha|tbh|ngl)\W+)*(this|the) (app|bot|chat|thing|site|page|form|"
    r"program|assistant)('?s| is| feels)? (so |really |actually |kinda |kind of |quite |pretty |very |a bit |weirdly )*"
    r"(slow|fun|nice|cool|good|helpful|weird|annoying|glitchy|confusing|great|easy|clever|smart|laggy|buggy|odd|"
    r"calming|relaxing|soothing|cute|neat|sweet|lovely|pretty)\b[^.!?]{0,30}\W*$",
    # a laugh on its own: "haha nice", "lol true"
    r"^\W*(ha(ha)+|he(he)+|lol+|lmao|ha)\W*(nice|cool|ok|okay|true|funny|fair|yeah)?\W*$",
    r"^\W*((lol|haha|omg|wow|ok)\W+)?(you'?re|ur|you are|u r|ure) (so |really |very |actually |way |much |a lot |kinda )*"
    r"(better|good|great|nice|polite|clever|smart|funny|quick|fast|sweet|\w{3,}er) (at|with|than)\b[^.!?]{0,40}\W*$",
    # "you're very polite for a program", "wow you type fast"
    r"^\W*((lol|haha|omg|wow|ok|oh)\W+)?(you'?re|ur|you are|u r|ure) (so |really |very |actually |quite |pretty )*"
    r"(polite|clever|smart|funny|quick|fast|sweet|nice|kind|patient|good|friendly|chatty) for an? "
    r"(program|bot|robot|machine|computer|ai|app)\W*$",
    r"^\W*((lol|haha|omg|wow|ok|oh)\W+)?(you|u) (type|write|reply|answer|respond)( so| really| very)? "
    r"(fast|quick(ly)?|quickly)\W*$",
    # the weather and the like: "nice weather today here"
    r"^\W*((so|anyway|btw|oh)\W+)?(nice|lovely|terrible|awful|horrible|crazy|weird|beautiful|gorgeous|rainy|cold|hot)"
    r" (weather|day|morning|evening)( (today|here|today here|here today|isn'?t it|huh|eh|we'?re having))*\W*$",
    r"^\W*((so|anyway|btw|oh|wow)\W+)?(it'?s|its|it is) (snowing|raining|pouring|sunny|freezing|boiling|so hot|so cold)"
    r"\b[^.!?]{0,30}$",
    # keys run along a row: "asdfjkl", "qwerty"
    r"^\W*(asdf|qwer|zxcv|jkl;|hjkl|sdfg|dfgh|fghj|ghjk)\w*\W*$",
)

# Unmistakable commands, whatever their length.
_PAUSE = _any(
    r"^\W*(please )?pause( (it|this|here|please|for now|now))?\W*$",
    r"^\W*(please )?pause (please|pls|plz|for now|now|here)\b",
    r"\b(can|could|may) i (pause|stop) (here|there|now|after (this|that)|for (now|today|tonight))\b",
    r"\bthen (pause|stop)( (pls|please|plz|here|now|there))?\b",
    r"\b(another|some other|a different|in other|other) (time|day)\b",
    r"\b(come|get|be) back (to (this|it|you)|later|tomorrow)\b",
    r"\b(continue|finish|do|carry on|pick (this|it) up|resume)( (this|it|the rest))? (later|tomorrow|another time)\b",
    r"\b(stop|done|quit|finish|leave it)( it)? (for (now|today|tonight|the day)|here|there)\b",
    r"\bcall it a (day|night)\b",
    r"\bthat'?s enough for (now|today|tonight)\b",
    r"\b(talk|chat|speak) (to (you|u) )?(later|tomorrow|soon)\b",
    r"\b(ttyl|brb|gtg|g2g)\b",
    r"\bsave (it|this|my progress|where i am) for later\b",
    r"\b(can|could|may|shall) we (stop|pause|finish|interrupt|break off|end)\b",
    r"\b(let'?s|lets|let us) (stop|pause|finish|interrupt|break off|end)\b",
    r"\b(stop|pause|interrupt|end|finish|break off) (here|there|now|it here)( (for|please|tho|though)\b| ?$)",
    r"\b(log|sign) (off|out)\b",
    r"\b(do|finish|continue|complete) the rest (later|tomorrow|tmrw|another (time|day))\b",
    r"\bfinish (it |this |up )?(later|tonight|tomorrow|tmrw)\b",
    r"\b(hold|save|keep) my (spot|place)\b",
    r"\bpick (it|this) up (later|tomorrow|tmrw|tmr|2moro|another (time|day))\b",
    r"\bsave (it|this|my progress|my place) for (me|later)\b",
    r"\b(enough|all i can (manage|do|take)) for (today|tonight|now|this evening|the day|one day)\b",
    r"\b(i )?(must|have to|need to|gotta|got to) stop (now|here|for (now|today|tonight))\b",
    r"\bcontinue (it |this )?(another|some other|a different) (day|time)\b",
    r"^\W*(please |can you |could you |can we |let'?s )?pause (it|this|things|the questions)\b",
)
_CHANGE = _any(
    r"\b(change|edit|fix|redo|update|correct|rewrite|amend|reword|alter) (my|an|the|that|a|what i|one of my|my last|my previous|the last)\b.{0,20}\b(answer|response|reply|said|wrote|put|one|rating|date|topic|number|score)\b",
    r"\bgo back to (question|the (last|previous|earlier|first|other|checklist|list|date|rating|topic|trust|safety)|an earlier|a previous)\b",
    r"\bgo back,? (and |i want to |i'?d like to |to )?(change|fix|edit|redo|reword|alter|correct|untick)\b",
    r"\buntick\b",
    r"\b(wrong answer|made a mistake (in|on|with) my)\b",
    r"\b(can|could|may) i (correct|fix|change|redo|modify|amend|edit|update)\b",
    r"\b(i'?d|i would|i want to|i wanna|wanna|lemme|let me) (like to )?(correct|fix|change|redo|modify|amend|edit|update) (it|that|my|the|what|one|something)\b",
    r"\b(made a mistake|put the wrong|gave the wrong|wrote the wrong|typed the wrong|messed up)\b.{0,40}\b(date|day|rating|number|answer|before|earlier)\b",
)
_SHOW = _any(
    r"\b(show|see|view|read|look at|check|display) (me )?(all )?(my|what i('?ve| have)? ?(wrote|written|said|put|answered|typed))\b",
    r"\bwhat (have|did) i (write|written|wrote|say|said|answer|answered|put)\b",
    r"\b(pull up|bring up|read back|look back at|go over) (everything|all|my (answers|responses|replies|notes|stuff)|what i)\b",
    r"\b(see|read|view|look at|check) (my|the|all my|all the) (earlier |previous |other |old |last )?(answers|responses|replies)\b",
    r"\bwhat (did|have) i (even |actually )?(put|write|written|wrote|say|said|answer|answered|told (you|u))\b",
    r"\bwhat i('?ve| have)? (wrote|written|put|said|answered|drafted|told (you|u)) (so far|before|earlier|for)\b",
    r"\bshow me (the whole thing|everything|it all|all of it)\b",
    r"\bhow far (i|did i|have i|i'?ve)( got| get| gotten| come)\b|\bwhere (was|were|am) (i|we) up to\b",
)
_SKIP = _any(
    r"^\W*(skip|pass|next|next q|next question|skip (this|it|that)( one| question)?)( (pls|please|plz|thx|thanks|x+))?\W*$",
    r"\bnot (doing|answering) (this|that) one\b",
    r"\bskip the next (one|question|bit)\b",
    r"\b(can|could) (we|i) skip\b",
    r"\b(let'?s|lets|i'?ll|i will|i want to|i'?d like to|wanna) skip\b",
    r"\b(i'?d|i would) rather not (answer|say|go into)\b",
    r"\bdon'?t want to answer (this|that|it)\b",
    r"\b(rather|prefer) not (to )?answer\b",
    r"\bleave (this|that|it)( one| question)? out\b",
    r"\bpass (over|on) (this|that)\b",
    r"\b(go|move|jump|skip) (on )?(on )?to the next( one| question)?\b",
    r"\bnext (one|question)( (pls|please|plz))?\W*$",
    r"\bleave (this|that|it)( one)? (blank|empty)\b",
)
_TIP = _any(
    r"\b(give|send|share|tell|got|have|need|want|get) (me )?(a|one|another|some|any|like a|a little)? ?(of (your|ur|those|these|the) )?(\w+ )?(tips?|advice)\b",
    r"\b(do|d) (you|u) have (a |any |some )?(\w+ )?(tips?|advice)\b",
    r"\b(any|a) tips?\b.{0,30}\?",
)
_HELP = _any(
    r"\bhow (do|does|can|should) (i|this|it|you|one) (use|work)\b(?! out| on| through| with)",
    r"\bhow (this|it) (all )?works\b|\bhow (does|do) (this|it)( \w+)? work\b|\bwhat are my options\b|"
    r"\bhow to use (this|it|the (chat|app|bot))\b",
    r"\bwhich buttons\b|\b(lost|confused) with (all )?(the|these) buttons\b",
    r"\bhow (do|can|could) i (skip|go back|pause|change|stop|delete|continue)\b(?!\s+\w+ing\b)",
    r"\b(remind|tell) me how (i|to)\b",
    # how the assistant keeps things and paces them: "is my stuff still saved?", "do I have to do it all in one go?"
    r"\b(is|are|was|were) (my|all my|the|all the) (stuff|answers|progress|work|data|things|notes)( all)?( still)? "
    r"(saved|kept|there|stored)\b",
    r"\bdo i (have|need) to (do|finish|answer|complete) (it|this|everything|them|all of it|the whole thing)( all)? "
    r"(in one go|at once|in one sitting|in one session|today|right now|now)\b",
    r"\b(remind|tell) me what (this|it|we) (is|was|were|are)( all)? (about|for)\b",
)
_THERAPIST_SEES = _any(
    r"\bwhat (will|does|can|would|do) (my )?(therapist|she|he|they|clinician|counsel+or) (actually |really )?(get to )?(see|read)\b",
    r"\bwhat (my |the )?(therapist|clinician|counsel+or) (will|would|can|gets? to|does|is going to)( actually| really)? (see|read|get)\b",
)
# In this order: "how do I go back to the checklist" changes an answer; "can we
# leave this one out, I might come back to it" skips it.
STRONG_COMMANDS = {"change_answer": _CHANGE, "help": _HELP, "skip": _SKIP, "pause": _PAUSE,
                   "what_therapist_sees": _THERAPIST_SEES, "show_answers": _SHOW, "ask_tip": _TIP}

# Words that may be a way out or may be the answer: "I have to go, my kid is
# crying", "I need a break". The client is asked.
MAYBE_PAUSE = _any(
    r"\b(gotta|got to|have to|need to|must|gonna have to) (go|run|leave|head off)\b",
    r"\b(need|want|would need|could use) (a|to take a|some) (break|pause|time ?out|space)\b",
    r"^\W*(maybe |perhaps |probably )?(a |some )?(break|pause|time ?out|space)\b",
    r"\b(too tired|so tired|wiped|exhausted|knackered|can'?t focus)\b",
    r"\b(is crying|at the door|just got home|is calling me|has to eat)\b",
    r"\b(enough|i'?m done|im done|no more questions|stop asking)\b",
    r"^\W*(maybe |perhaps |probably |ok |ugh )?later\b",
    r"\b(want|like|need) to stop\b",
    r"\b(heading (off|out)|i'?m off|im off|off to bed)\b",
    # life calls: "my bus is here", "my husband needs the computer", "tea is ready", "I'll be back"
    r"\b(bus|train|taxi|uber|lift|ride|cab) (is|'s) (here|outside|coming)\b",
    r"\b(needs|wants) (the|my) (computer|laptop|phone|tablet|ipad)( back)?\b",
    r"\b(tea|dinner|lunch|breakfast|food) (is|'s) (ready|here|on the table)\b",
    r"\b(i'?ll|i will|ill) be (right )?back\b|\bbye+\W*$|\bi (go|leave|must go|have go) now\b",
    r"\b(have|need|got) to (fetch|collect|pick up|get) (the|my)\b",
    # something or someone calls the client away: "the doorbell's going", "mum's calling", "kettle's boiled"
    r"\b(door ?bell|door|phone|kettle|oven|timer|alarm|mum|mom|mam|dad|husband|wife|partner|boyfriend|girlfriend|"
    r"kids?|baby|son|daughter|boss|someone|somebody|visitors?|landlord|delivery|postman|carer|nurse)('?s|s| is| has)? "
    r"(just )?(going|ringing|calling|here|come in|came in|boiled|home|back|awake|up|arrived|knocking|at the door)\b",
    r"\bback in (a|one|two|five|5|2|10|ten) (bit|sec|secs|second|seconds|min|mins|minute|minutes|moment|mo|tick)\b",
    r"^\W*(hang|hold) on\b|\b(hang|hold) on (a (sec|second|minute|moment|mo|tick))?\W*$",
    r"^\W*(slow (it )?down|give me (a|one) (minute|min|sec|second|moment)|one (sec|second|moment|minute)|"
    r"hang on|hold on|wait( a (sec|second|minute|moment))?|(less|fewer|too many|so many) questions)\W*$",
)
# Words that may mean "skip this one" or may be the answer: "I'd rather not".
MAYBE_SKIP = _any(
    r"\b(not now|can we not|drop it|leave it|let it go|rather not|prefer not|not go into|not sure i want to)\b",
    r"\b(don'?t|do not) want to (say|go into|talk about)\b",
    r"^\W*(honestly,? )?(i )?(don'?t|do not|dunno|idk)( know)?\b.{0,30}$",
    r"\bnothing comes to (my )?mind\b|\bno idea\b",
    r"^\W*(moving on|move on|let'?s move on|no pressure)\W*$",
    r"\b(let me|have to|need to|i'?ll|i will|gotta|got to) (have a )?think\b|^\W*(hmm+,? )?thinking\W*$",
    r"\b(that'?s|thats|it'?s|its) (a bit |too |very )?(personal|private)\W*$",
    r"\b(don'?t|do not|dont) (really )?want to (get into|go there|answer|put a number)\b",
    r"\bnot (to )?answer (this|that|it)\b|\b(i'?d|i would) (like|prefer|rather) (to )?not\b",
    r"^\W*((honestly|tbh|sorry|um+|hmm+|well|oh)\W+)*(i )?(can'?t|cant|cannot) (say|answer (that|this)|think of (one|any|anything))\b",
    r"^\W*(nothing\W+)?forget (it|that)\W*$",
    r"^\W*(the )?same (old|as (the )?(last|before|previous)( one| time)?)\W*$",
    # not ready for this one now: "not sure I'm ready for this one", "i rly dont wanna do this one rn"
    r"\bnot (sure (i'?m|im|i am) |quite |really )?ready (for|to (answer|do|talk about|go into)) (this|that|it)\b",
    r"\b(don'?t|dont|do not) (really |rly |reely )?(wanna|want to|feel like) (do|doing|answer|answering) "
    r"(this|that|it)( one| question)?\b",
    r"\b(can'?t|cant|cannot) (talk|think|write) (about|abt) (it|this|that)( (rn|right now|now|today|yet))?\W*$",
    r"^\W*(ugh\W+)?(this|that|it)( one)?('?s| is) (a lot|too much|too hard|hard)( (rn|right now|today|tbh))?\W*$",
    # hesitating, not answering: "can I think about it", "not sure yet", "that's a tough one", "I need time"
    r"\b(can|could|may) (i|we) ((maybe|just|please|perhaps) )?(have a |get back to |come back to )?think(ing)?"
    r"( about| on| over)? (it|this|that)\b",
    r"\b(need|want) (some |more |a bit of |a little |extra )*time\W*$|\bgive me (some |a bit of )?time\b",
    r"^\W*((hmm+|um+|erm|uh+|well|sorry|oh)\W+)*(i'?m |im |i am )?(not sure|unsure)( yet| really)?"
    r"(\W+(sorry|maybe|tbh|honestly|later))*\W*$",
    r"^\W*((hmm+|um+|erm|uh+|well|oh|ooh|gosh|wow)\W+)*(that'?s|thats|this is|that is|it'?s|its|what) "
    r"(a |such a |quite a |a really |a very )?(hard|tough|difficult|tricky|big|deep|good) (one|question|q)\b",
    r"^\W*(it'?s |its |is |this is |that is )?(so |very |really |quite )?(difficult|tricky)\W*$",
    r"^\W*(whatever|meh|idc|i don'?t care|dont care|i guess|maybe|perhaps|possibly|you know|ya know|"
    r"the usual( stuff| things)?|same old( stuff)?|same like before|like always|as usual)\W*$",
    r"\b(i )?(don'?t|dont|do not) know (if|whether) i (should|can|want to|could) (say|answer|write|share|put)\b",
)


def about_the_question(text: str) -> bool:
    return bool(ABOUT_THE_QUESTION.search(text or ""))


def social(text: str) -> bool:
    return bool(SOCIAL.search((text or "").strip()))


# "I'd just say can we skip the childhood stuff": words said to someone else.
_REPORTED = re.compile(r"\b(say|said|tell (her|him|them)|ask (her|him|them)|like (her|him|them) to|want (her|him|them) "
                       r"to|(her|him|them) to|instead of)\b[^.!?]{0,100}$", _FLAGS)


# "change my mind", "before we change the topic": a change, but not of an answer.
_OTHER_CHANGE = _any(
    r"\bchange (my|your|her|his|their|our) minds?\b",
    r"\b(we|she|he|they|you|u|someone|people) (change|changes|changed|changing) (the )?(topic|subject)s?\b",
    r"\bchange (the )?(topic|subject)s? (to|from|on|halfway|mid|when|without)\b",
)
_ANSWER_WORDS = _any(r"\b(answer|answers|wrote|written|put down|response|reply|rating|question)\b")


def strong_command(text: str) -> Optional[str]:
    for intent, pattern in STRONG_COMMANDS.items():
        match = pattern.search(text or "")
        if match and not _REPORTED.search(text[:match.start()]):
            if intent == "change_answer" and _OTHER_CHANGE.search(text) and not _ANSWER_WORDS.search(text):
                continue
            return intent
    return None


# A remark or question about the assistant itself ("r u a real person?").
ABOUT_THE_BOT = _any(
    r"\b(are|r) (you|u|ya) (a |an )?(real|human|bot|robot|person|ai|machine|computer|actual)",
    r"\b(ur|you'?re|youre|you are|u r|ure) (kinda |so |very |a bit |quite |such )?[\w ]{0,15}(chat ?bot|bot|robot|machine|ai)\b",
    r"\b(is this|am i talking to) (a |an )?(real|human|bot|robot|person|ai|machine|computer)",
    r"\b(what'?s|what is|whats) (your|ur) name\b|^\W*(who|what) (are|r) (you|u)\W*$",
    r"\ba (robot|bot|machine|computer|program) (that|who|which)\b",
    r"\bremind me what (this|it|you)\b|\bwhat (this|it)( app| thing| chat)? is (for|about)\b|"
    r"\bwhat('?s| is) (this|it) (all )?(for|about)\W*\??\s*$",
)


def about_the_bot(text: str) -> bool:
    return bool(ABOUT_THE_BOT.search(text or ""))


# "...then skip the next one": a skip said after an answer is about the next question
# only in these words; "next question please" after an answer just moves on.
SKIP_NEXT = _any(r"\bskip (the )?(next|one after|question after)\b", r"\bthen skip\b")


def maybe_pause(text: str) -> bool:
    return bool(MAYBE_PAUSE.search(text or ""))


def maybe_command(text: str) -> Optional[str]:
    """"pause" or "skip" when the words may be a way out, else None."""
    if maybe_pause(text):
        return "pause"
    return "skip" if MAYBE_SKIP.search(text or "") else None


# A yes or a no to the offer or confirmation just made, in the client's words.
_LEAD = r"^\W*(?:(?:oh|ah|well|um+|hmm+|erm|honestly|actually)[\s,.]+)?"
_NO = _any(
    _LEAD + r"(no+|nope|nah+|na|not now|not (right )?now|not tonight|not today|no thanks?|no thank you|"
    r"maybe (later|another time|not)|another time|later|hmm+ no|no wait|wait no|hold on|don'?t|do not|"
    r"i changed my mind|changed my mind|cancel|keep it|no,? keep it|never ?mind|nvm|i'?ll pass|pass)\b",
    r"\b(don'?t|do not|dont) (delete|wipe|erase|do it|want to)\b",
    r"\b(keep (it|them|everything|my (data|answers|stuff)))\b",
)
_YES = _any(
    _LEAD + r"(y|ya|yah|yes+|yeah+|yep|yup|sure|ok+|okay|okey|alright|fine|go on|go ahead|do it|let'?s (?:do it|go)(?=\W*$)|"
    r"please|yes please|absolutely|definitely|of course|i'?m sure|im sure|sounds good|why not|sure why not|ok let'?s)\b",
)
# "delete it": a yes only to "delete everything?"
_YES_DELETE = _any(r"\b(delete|wipe|erase|remove) (it|them|everything|all|my)\b")
# "ok, I'm heading off, bye": the "ok" leads to a way out, not a yes.
_WAY_OUT = _any(r"\b(bye|goodbye|good ?night|see (you|ya)|cya|heading (off|out)|i'?m off|im off|off to bed)\b")


def yes_or_no(text: str, deleting: bool = False) -> Optional[str]:
    """'yes', 'no', or None when the message is neither (or both). `deleting`:
    the question is "delete everything?", where "delete it" is a yes."""
    text = (text or "").strip().lower()
    no = bool(_NO.search(text))
    yes = bool(_YES.search(text) or (deleting and _YES_DELETE.search(text)))
    if yes and not no and (_WAY_OUT.search(text) or maybe_pause(text) or strong_command(text) == "pause"):
        return None  # a way out said after "ok": neither
    if no and not yes:
        return "no"
    if yes and not no:
        return "yes"
    if yes and no:  # "no wait, yes delete it" is unclear: asked again
        return None
    return None


_NO_ANYWHERE = _any(
    r"\b(no+|nope|nah+|not (right )?now|not tonight|not today|not yet|maybe (later|not)|later|another time|"
    r"don'?t|dont|do not|changed my mind|never ?mind|nvm|cancel|pass|rather not|not sure)\b"
)


def opens_with_yes(text: str) -> bool:
    """A yes first, whatever follows, and no no anywhere: "Yes please, if
    that's ok. I never know how to word these things"."""
    first = re.split(r"[.!?;,]|\s-\s", (text or "").strip(), maxsplit=1)[0]
    return yes_or_no(first) == "yes" and not _NO_ANYWHERE.search((text or "").lower())


# A short message that is a plain yes or no, outside an open question.
MAX_YES_NO_WORDS = 12


def intent_of(text: str) -> Optional[str]:
    """The intent these words make unmistakable, or None: a command, a
    question about the question, a greeting or thanks, a yes or a no."""
    command = strong_command(text)
    if command:
        return command
    words = len(re.findall(r"[\w']+", text or ""))
    if about_the_question(text) and words <= 14:
        return "explain_question"
    if social(text):
        if _THANKS.search(text):
            return "thanks"
        if _GREETING.search(text):
            return "greet"
    if about_the_bot(text) and words <= MAX_YES_NO_WORDS:
        return "ask_bot"
    said = yes_or_no(text) if words <= MAX_YES_NO_WORDS else None
    return {"yes": "affirm", "no": "deny"}.get(said or "")


# A question put to the assistant ("do you know if the practice is open?"):
# not an answer to the open question.
_TO_THE_ASSISTANT = re.compile(
    r"^\W*(by the way,? |btw,? |quick question,? |sorry,? |wait,? |oh,? )?(do|did|can|could|would|will|are|r|have|is|what|when|where|who|why|how)"
    r"\b[^.!]{0,120}\b(you|u|ya|ur|your|the practice|this (app|chat|thing))\b[^.!]*\?\s*$", _FLAGS)


def to_the_assistant(text: str) -> bool:
    return bool(_TO_THE_ASSISTANT.search((text or "").strip()))


_QUESTION = re.compile(r"\?\s*\W*$|^\W*(is|am|are|should|shall|how|what|why|do|does|did|can|could|would|will|when|"
                       r"where|which|who)\b", _FLAGS)


def is_question(text: str) -> bool:
    """A question, by its mark or its first word."""
    return bool(_QUESTION.search((text or "").strip()))


# A message that asks rather than tells: a question mark at its end, or a
# question's opening words ("what do you mean", "is it ok if", "can I");
# "What I need is honesty" and "when someone keeps their word" tell.
_MARKED = re.compile(r"\?\s*\W*$")
_ASKING_OPENING = re.compile(
    r"(?:^|[,.;:!?]\s*)\W*(?:(?:sorry|ok|okay|so|um+|wait|hmm+|erm|and|but|also|just|hang on|hold on|sorry but|quick q(?:uestion)?)\W+)*(?:"
    r"(?:what|how|why|which|who|where|when)\s+(?:is|are|was|do|does|did|can|could|would|should|will|shall|am|exactly|"
    r"kind|sort|type|about|if|u|you|r|i)\b|"
    r"(?:is|are|do|does|did|can|could|would|should|will|shall|am)\s+(?:i|it|this|that|there|you|u|we|the|my|they|he|"
    r"she|these|those|\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    _FLAGS,
)


# A question in words ("what is this?", "can I use half?"), not a value said
# unsurely ("7?", "2 and 5?") nor one checked ("6, is that ok?").
_WORDED = re.compile(r"\b(what|how|why|which|does|do|is|are|can|could|mean|means|meant)\b", _FLAGS)
_VALUE_CHECKED = re.compile(r"\b(is|would|will) (that|this|it) (be )?(ok|okay|alright|fine|enough|right)\b", _FLAGS)


# What a question about a scale or a list of items speaks of.
_OF_THE_SCALE = re.compile(
    r"\d|\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|half|decimal|highest|lowest|best|worst|top|bottom|"
    r"scale|neutral|middle|mean|means|meant|look like|this|that|these|those|statement|item|option|list|number)\b",
    _FLAGS,
)
# ...and not about the therapist: "is it normal to trust her less some weeks" is about therapy.
_ABOUT_THERAPIST = re.compile(r"\b(she|her|he|him|his|they|them|therapist|counsell?or|therapy)\b", _FLAGS)


def asks_in_words(text: str) -> bool:
    """A question about the scale or the items where a value was asked for
    ("wait is ten the highest", "what does resistance to feedback look like")."""
    how = asks(text)
    worded = how == "opening" or (how == "marked" and bool(_WORDED.search(text or "")))
    return (
        worded
        and bool(_OF_THE_SCALE.search(text or ""))
        and not _VALUE_CHECKED.search(text or "")
        and not _ABOUT_THERAPIST.search(text or "")
    )


# Words of a question too common to say what a question about it is about.
_COMMON = frozenset(
    "what does do you your yours with that this there their them they have from about would could should which "
    "when where into like feel make makes some more most much also only just what's describe think".split()
)
_ASKING_WHAT = re.compile(r"\b(what|which|exactly|kind of|sort of|type of|meaning|mean|means|like what|as in)\b", _FLAGS)


def asks_about_the_words(text: str, question: str) -> bool:
    """A short question about the open question's own words: "three what,
    exactly?", "feedback about what, the therapy or me?", "what kind of
    'actions'?"."""
    text = text or ""
    if asks(text) != "marked" or len(re.findall(r"[\w']+", text)) > 14 or not _ASKING_WHAT.search(text):
        return False
    own = {w for w in re.findall(r"[a-z']+", question.lower()) if len(w) >= 4 and w not in _COMMON}
    said = {w.strip("'") for w in re.findall(r"[a-z']+", text.lower())}
    return bool(own & said)


def asks(text: str) -> Optional[str]:
    """"marked" for a message ending in a question mark, "opening" for one that
    opens like a question without the mark, None for one that tells."""
    text = (text or "").strip()
    if _MARKED.search(text):
        return "marked"
    return "opening" if _ASKING_OPENING.search(text) else None


_SENTENCE_END = re.compile(r"[.!?…]+\s+|\n+")


def told_before_question(text: str) -> int:
    """How many words come before the question a message ends with (its last
    sentence, or where a question opens): "Trust is honesty. How do I start?" 3."""
    text = (text or "").strip()
    openings = [m.start() for m in _ASKING_OPENING.finditer(text)]
    if _MARKED.search(text):  # the last sentence, or where a question opens inside it
        ends = [m.end() for m in _SENTENCE_END.finditer(text.rstrip("?!. "))]
        last = ends[-1] if ends else 0
        start = next((o for o in openings if o >= last), last)
    else:
        start = openings[0] if openings else len(text)
    return len(re.findall(r"[\w']+", text[:start]))


_EMOTION = (r"(emotional|stupid|silly|drained|low|down|angry|mad|cross|nervous|guilty|overwhelmed|happy|uneasy|rattled|"
            r"shaken|embarrassed|teary|tearful|anxious|exposed|frustrated|tired|exhausted|sad|upset|scared|worried|"
            r"shaky|numb|lighter|awful|terrible|rubbish|crap|wobbly|on edge|raw|fragile|vulnerable|ashamed|weird|"
            r"uncomfortable|uncomfy|self.conscious|all over the place|hopeless about (the )?(therapy|this|it)|"
            r"stirred up|churned up|on edge)")
_DEGREE = (r"((just|so|really|rly|a bit|a little|a little bit|kind of|kinda|quite|very|weirdly|still|mostly|actually|pretty|"
           r"bit|rather|too|terribly|awfully|super|lowkey|highkey|ever so|properly|incredibly)\s+)*")
FEELING_NOW = _any(
    r"\b(this|these|that list|the list|it all|all this|this whole thing|these questions|this one|that question|"
    r"this question|writing (all )?this|answering these|doing this|reading (that|this|the list))\b[^.!?]{0,30}\b(is|are|was)?\s*"
    r"(making|makes|made) me\b",
    r"^\W*((honestly|tbh|ngl|sorry|um+|ugh|well|oh|ok|okay|idk|oh dear)\W+)*(i'?m|i am|im|"
    r"i (just |really |kinda |sometimes |always |honestly )?(feel|get|got|felt)|i'?m feeling|im feeling|feeling|"
    r"i'?m (starting|beginning) to feel|im (starting|beginning) to feel)\s+" + _DEGREE + _EMOTION + r"\b",
    r"^\W*" + _DEGREE + _EMOTION + r"\s+(typing|writing|answering|doing|saying|talking about|thinking about)\b",
    r"\b(these questions|this question|this|it|the worksheet|this worksheet|these)\b[^.!?]{0,20}\b(is|are) "
    r"(stirring|bringing|churning|dredging) (up|a lot|things up|stuff up)\b",
    r"\b(i )?(just |kinda |really )?feel like (therapy|this|it|talking|counselling|counseling|my sessions)"
    r" (is ?n'?t|isnt|is not|won'?t|will never|doesn'?t|does not|never) (working|help|helping|work)\b",
    r"^\W*" + _DEGREE + _EMOTION + r"\W+(mostly|today|tonight|right now|at the moment|after (it|today|that|the session))\b",
    r"\b(makes?|making) me (feel )?(a bit |so |really |kind of |quite )?(emotional|teary|nervous|anxious|uneasy|sad|"
    r"stupid|exposed)\b",
)
# The client's own question about therapy or how to do something with their
# therapist ("is it normal to cry every session?", "how do I bring this up?"):
# not an answer; it gets the tip that answers it.
CLIENT_QUESTION = _any(
    r"^\W*((sorry|honestly|ok|okay|so|um+|quick question|also)\W+)*(is it|is that|isn'?t it|am i|are (we|therapists|people|you meant?)|"
    r"do (therapists|other people|people|others|i have to|i need to|you have to)|does (she|he|it|therapy|everyone)|"
    r"should i|can (i|you|we) (actually |really )?(tell|ask|say|bring|raise|switch|change)|"
    r"how (do|can|would|should|does|will) (i|one|you|people|we)|any (advice|tips?|ideas)|"
    r"what (do|should|can) i (do|say)|what am i (supposed|meant) to|how long|how often|what happens if|ways to|"
    r"is there a way|would it be (wrong|ok|okay|weird|rude|normal|bad|strange|silly|alright)|"
    r"will (my therapist|my counsell?or|she|he|they) (think|mind|be|get|judge|hate)|"
    r"(do|does|can|could|would) (u|ppl|other ppl|therapists?|counsell?ors?)|can u)\b",
)


def remark(text: str) -> Optional[str]:
    """'feeling' for how the client feels right now, 'question' for their own
    question about therapy; None otherwise."""
    if FEELING_NOW.search(text or ""):
        return "feeling"
    if CLIENT_QUESTION.search(text or "") and not ABOUT_THE_QUESTION.search(text or ""):
        return "question"
    return None
