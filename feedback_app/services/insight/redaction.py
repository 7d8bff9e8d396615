"""Suggested redactions for a comment that a coordinator wants to quote.

``suggest(text)`` returns spans (``Suggestion``: where, what kind, what it found) and
``redact(text)`` replaces them with a bracketed word such as ``[name]`` or
``[phone number]``. Pure functions: no Flask, no database; they work on English, Polish
and Lithuanian text.

What it looks for, and how (each rule is a plain pattern, so a coordinator can be told why
something was suggested):

* **emails** – ``something@domain.tld``;
* **phone numbers** – UK mobiles (``07…``, ``+44 7…``) and landlines starting ``01``,
  ``02`` or ``03`` (spaces, dashes and brackets allowed), any ``+`` or ``00`` international
  number, Polish ``601 234 567`` and Lithuanian ``8 612 34567``. ``0800``/``0808`` numbers
  (helplines) and ``999`` are left alone on purpose;
* **postcodes** – full UK postcodes in any case (``CB1 2AB``, ``cb12ab``), outward codes
  alone in capitals (``B12``, ``PE29``) when their letters are a real postcode area, Polish
  ``00-950`` and Lithuanian ``LT-01100``;
* **street addresses** – an optional house number, capitalised words and a street word
  (``12 Mill Road``, ``Hawthorn Close``); Polish ``ul.``/``al.``/``os.``/``plac`` + name
  (+ number); Lithuanian name + ``g.``/``pr.``/``al.`` (+ number);
* **dates** – ``12/03/2025``, ``2025-03-12``, ``12 March``, ``March 12th``, ``March 2025``
  and the Polish and Lithuanian forms (``12 marca 2025``, ``kovo 12 d.``,
  ``2025 m. kovo``). A month or weekday on its own (``in March``, ``on Monday``) is left;
* **ages** – ``I am 34``, ``I'm 34``, ``aged 15``, ``15 years old``, ``15-year-old``,
  ``mam 34 lata``, ``w wieku 15 lat``, ``15-letnia``, ``man 15 metų``, ``15-metė``. Only
  the number is replaced (``I am [age]``);
* **schools** – capitalised words before School/Academy/College/Nursery/University
  (``St Mary's Academy``, ``Oakwood Primary School``), Polish ``szkoła … nr 5`` /
  ``im. …``, Lithuanian ``… mokykla`` / ``… gimnazija``;
* **workplaces** – capitalised words after ``I work at/for``, ``pracuję w``, ``dirbu``,
  company words (``… Ltd``) and a short list of large employers (Tesco, Asda, Biedronka,
  Maxima, …);
* **names** – capitalised words after a cue (``my worker``, ``officer``, ``PC``, ``DC``,
  ``Mr/Mrs/Ms/Miss/Dr``, ``called``, ``named``, ``my son/daughter/partner/ex``, Polish
  ``Pani``/``Pan``/``syn``/``córka``, Lithuanian ``ponia``/``ponas``/``sūnus``/``dukra``),
  and any capitalised word that is not at the start of a sentence and not in a short list
  of ordinary words (``I``, languages, months, weekdays, service names such as Police or
  Refuge, place names of the partnership). Two or more capitalised words together are
  suggested even at the start of a sentence (``Sarah Jones helped``).

Limits (why a coordinator must read every quote before approving it):

* these are **suggestions only**. A name at the start of a sentence (``Sarah helped me``),
  a name written in lower case, a nickname, a town, a job title that identifies someone
  (``the only Polish IDVA``), an unusual event or a detail that identifies someone only
  together with others will not be found;
* capitalised ordinary words that are not in the list (a brand, a place) are suggested as
  names: over-suggesting is the safer mistake;
* outward postcodes look like some road names (``M11``): such a road may be suggested;
* text already replaced with a bracketed word (``[name]``) is never suggested again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds, in the order they win when two suggestions of the same length overlap.
KINDS = ("email", "phone", "postcode", "address", "school", "workplace", "date", "age", "name")
REPLACEMENTS = {
    "name": "[name]",
    "phone": "[phone number]",
    "email": "[email]",
    "postcode": "[postcode]",
    "address": "[address]",
    "date": "[date]",
    "age": "[age]",
    "school": "[school]",
    "workplace": "[workplace]",
}


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    kind: str
    text: str  # what was found, as written

    @property
    def replacement(self) -> str:
        return REPLACEMENTS[self.kind]


# -- building blocks ----------------------------------------------------------------------

UPPER = "A-ZÀ-ÖØ-ÞĀĄĆČĖĘĒĪĮŁŃŠŚŪŲŹŻŽ"
LOWER = "a-zß-öø-ÿāąćčėęēīįłńšśūųźżž"
LETTER = UPPER + LOWER
# A capitalised word: "Sarah", "O'Brien", "Anna-Maria", "Mary's", "Žirmūnų".
CAP = rf"[{UPPER}][{LETTER}]*(?:['’-][{LETTER}]+)*"
_WORD = re.compile(rf"(?<![\d{LETTER}])[{LETTER}]+(?:['’&-][{LETTER}]+)*(?![\d{LETTER}])")
_BRACKETED = re.compile(r"\[[^\[\]\n]{0,40}\]")

# Capitalised words that are not names when they appear mid-sentence.
COMMON_WORDS = frozenset(
    w.casefold()
    for w in """
    I I'm I've I'd I'll Im Ive OK Okay Ok Mum Mummy Mam Dad Daddy Nan Nanny Gran Grandma Grandad
    God Christmas Easter Eid Ramadan Covid Facebook WhatsApp Instagram Google Zoom Teams Internet
    English British Polish Lithuanian Russian Romanian Ukrainian Portuguese Latvian Bulgarian Urdu
    Punjabi Arabic Bengali Hindi Kurdish Turkish Somali Chinese Asian European African Muslim
    England Britain UK Wales Scotland Ireland London Poland Polska Lithuania Lietuva
    Cambridge Cambridgeshire Peterborough Fenland Huntingdon Huntingdonshire Ely Wisbech
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Police Policja Policija Council Housing Refuge Women's Womens Aid Rape Crisis Victim Victims
    Witness Hub Social Services Service Children's Childrens Children Hospital Court Courts Family
    Health Care Domestic Abuse Violence Sexual Assault Independent Advisor Adviser Advocate
    Outreach Centre Center Support Team Helpline Line National Citizens Advice Jobcentre Universal
    Credit Home Office Legal Solicitor Probation Safeguarding Mental School College Nurse Doctor
    Health Visitor Midwife Worker Officer Sergeant Detective Constable Inspector A&E Accident
    Emergency Department Ward Clinic Surgery Pharmacy Nursery Early Help Childline Samaritans
    Thanks Thank You Please Yes No Not Hello Hi Dear Mr Mrs Ms Mx Miss Dr St Saint Sgt
    Primary Secondary High Junior Infant Grammar Academy Sixth Form University Nursery
    The A An This That These Those My Our Your His Her Their It We They He She Me Us Them
    When Then But And So If After Before Also Now Only Just Even Still Every Some Any All
    Call Ring Text Ask Tell Get Go Keep Help Talk Speak Contact Listen Maybe Sometimes
    Mano Mój Moja Moje Mojego Ale Jak Kiedy Gdy Tak Nie Bo Ten Ta To Bet Ir Kai Tai Aš Jis Ji Jie
    Pani Pan Pana Panu Panem Panią Państwo Państwa Państwu Wam Was Wy Ty Ciebie Tobie Ci Ci
    Jūs Jums Jus Jūsų Tu Tau Tavęs Bóg Boże Dievas Dieve Ponia Ponas Pone Poniai Ponui
    Polsce Polski Polską Polsku Litwie Litwy Litwa Anglii Anglia Wielkiej Brytanii Wielka Brytania
    Lietuvoje Lietuvos Lenkijoje Lenkija Lenkijos Anglijoje Anglija Anglijos Britanijoje Kalėdos Kalėdų
    Narodzenie Narodzenia Wielkanoc Wielkanocy Velykos Velykų
    """.split()
)

_SENTENCE_END = ".!?…:;\n"
_OPENERS = "\"'“‘«„([{-–—•*"


def _at_sentence_start(text: str, index: int) -> bool:
    i = index - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_common(word: str) -> bool:
    return word.casefold() in COMMON_WORDS or _is_acronym(word)


def _name_part(word: str) -> bool:
    """A capitalised word of two letters or more that is not an ordinary word."""
    return len(word) > 1 and word[:1].isupper() and not _is_common(word)


def _strip_possessive(start: int, end: int, text: str) -> int:
    """End of a name without a possessive "'s" ("Sarah's" -> "Sarah")."""
    if end - start > 3 and text[end - 2 : end] in ("'s", "’s"):
        return end - 2
    return end


# -- names --------------------------------------------------------------------------------

# Cues that come before a name. Titles are matched in capitals only ("PC", not "pc").
_TITLE_CUES = r"(?:Mr|Mrs|Ms|Mx|Miss|Dr|PC|DC|DS|DI|DCI|PCSO|Sgt|Sergeant|Inspector|Detective|Officer|Constable)\.?"
_PHRASE_CUES = (
    r"(?i:my\s+(?:(?:social\s+|support\s+|key\s+|case\s+)?worker|idva|isva|advocate|advisor|adviser|"
    r"son|daughter|partner|ex|ex-partner|ex-husband|ex-wife|husband|wife|boyfriend|girlfriend|"
    r"abuser|child|brother|sister|friend|neighbour|neighbor)|officer|called|named|"
    r"pani|panią|pan|pana|panem|panu|ponia|ponios|ponią|poniai|ponas|pono|poną|ponui|"
    r"syn|syna|synem|córka|córki|córką|mąż|męża|mężem|partner|partnera|partnerem|były|była|"
    r"byłego|byłej|nazywa\s+się|o\s+imieniu|sūnus|sūnų|dukra|dukrą|dukros|vyras|vyrą|žmona|"
    r"draugas|draugė|darbuotoja|darbuotojas|vardu)"
)
_CUED_NAME = re.compile(rf"(?<![{LETTER}])(?:{_TITLE_CUES}|{_PHRASE_CUES})\s+(?P<x>{CAP}(?:\s+{CAP}){{0,2}})")


def _cued_names(text: str) -> list[Suggestion]:
    found = []
    for match in _CUED_NAME.finditer(text):
        start, end = match.span("x")
        words = list(_WORD.finditer(text, start, end))
        # keep the leading run of name-like words ("PC Jones said" -> "Jones")
        kept = []
        for word in words:
            if not _name_part(word.group()):
                break
            kept.append(word)
        if kept:
            last = _strip_possessive(kept[0].start(), kept[-1].end(), text)
            found.append(Suggestion(kept[0].start(), last, "name", text[kept[0].start() : last]))
    return found


def _capitalised_names(text: str) -> list[Suggestion]:
    """Runs of capitalised, uncommon words; a lone one at the start of a sentence is left."""
    found = []
    run: list[re.Match] = []

    def close_run() -> None:
        if not run:
            return
        if len(run) == 1 and _at_sentence_start(text, run[0].start()):
            return
        start = run[0].start()
        end = _strip_possessive(start, run[-1].end(), text)
        found.append(Suggestion(start, end, "name", text[start:end]))

    previous_end = None
    for word in _WORD.finditer(text):
        joined = previous_end is not None and text[previous_end : word.start()] == " "
        if not joined or not _name_part(word.group()) or (run and _at_sentence_start(text, word.start())):
            close_run()
            run = []
        if _name_part(word.group()):
            run.append(word)
        previous_end = word.end()
    close_run()
    return found


# -- patterns for the other kinds ---------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_PL_MOBILE = re.compile(r"\d{3}[ -]\d{3}[ -]\d{3}")  # Polish style, "601 234 567"
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \-()]{7,18}\d(?!\w)")

_POSTCODE_FULL = re.compile(r"(?i)(?<![\w])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})(?![\w])")
POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC
    EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK
    ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW
    SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE""".split()
)
_POSTCODE_PL_LT = re.compile(r"(?<![\w-])(?:\d{2}-\d{3}|LT-?\d{5})(?![\w-])")
_POSTCODE_OUTWARD = re.compile(r"(?<![\w-])(?P<area>[A-Z]{1,2})\d[A-Z\d]?(?![\w-])")

_STREET_WORDS = (
    r"Street|Road|Avenue|Lane|Close|Drive|Way|Court|Crescent|Place|Gardens|Grove|Terrace|Row|Square|"
    r"Walk|Mews|Rise|Hill|Parade|View|Green|(?:St|Rd|Ave|Ln|Dr|Ct|Cres|Pl)\.?"
)
_HOUSE_NUMBER = r"(?:(?:[Ff]lat\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+)"
_ADDRESS_EN = re.compile(rf"(?<![\w]){_HOUSE_NUMBER}?{CAP}(?:\s+{CAP}){{0,2}}\s+(?:{_STREET_WORDS})(?![{LETTER}])")
_ADDRESS_PL = re.compile(
    rf"(?<![{LETTER}])(?i:ul\.|ulica|ulicy|ulicę|al\.|aleja|alei|aleję|os\.|osiedle|osiedlu|pl\.|plac|placu)"
    rf"\s*{CAP}(?:\s+{CAP}|\s+[IVX]+){{0,3}}(?:\s+\d{{1,4}}[a-zA-Z]?(?:\s*/\s*\d{{1,4}})?)?"
)
_STREET_WORDS_LT = r"g\.|gatvė|gatvėje|gatvės|gatvę|pr\.|prospektas|prospekte|al\.|alėja|alėjoje"
_ADDRESS_LT = re.compile(
    rf"(?<![{LETTER}]){CAP}(?:\s+{CAP}){{0,2}}\s+(?:{_STREET_WORDS_LT})(?:\s*\d{{1,4}}[a-zA-Z]?(?:\s*-\s*\d{{1,4}})?)?"
)

_MONTHS_EN = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTHS_PL = (
    "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
    "styczeń|luty|marzec|kwiecień|maj|czerwiec|lipiec|sierpień|wrzesień|październik|listopad|grudzień|"
    "styczniu|lutym|marcu|kwietniu|maju|czerwcu|lipcu|sierpniu|wrześniu|październiku|listopadzie|grudniu"
)
_MONTHS_LT = (
    "sausio|vasario|kovo|balandžio|gegužės|birželio|liepos|rugpjūčio|rugsėjo|spalio|lapkričio|gruodžio|"
    "sausis|vasaris|kovas|balandis|gegužė|birželis|liepa|rugpjūtis|rugsėjis|spalis|lapkritis|gruodis|"
    "sausį|vasarį|kovą|balandį|gegužę|birželį|liepą|rugpjūtį|rugsėjį|spalį|lapkritį|gruodį"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_DATES = [
    re.compile(r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\w/-])"),
    re.compile(r"(?<![\w/.-])\d{4}-\d{1,2}-\d{1,2}(?![\w/-])"),
    # 12 March (2025), 12th of March
    re.compile(rf"(?<!\w)(?i:{_ORDINAL}\s+(?:of\s+)?(?:{_MONTHS_EN})\.?(?:,?\s+\d{{4}})?)(?![{LETTER}])"),
    # March 12th (2025), March 2025
    re.compile(rf"(?<![{LETTER}])(?:{_MONTHS_EN})\.?\s+(?:{_ORDINAL}(?:,?\s+\d{{4}})?|\d{{4}})(?!\w)"),
    # 12 marca 2025 (r.), w marcu 2025, marzec 2025
    re.compile(rf"(?<!\w)(?i:\d{{1,2}}\.?\s+(?:{_MONTHS_PL})(?:\s+\d{{4}}(?:\s*r\.?)?)?)(?![{LETTER}])"),
    re.compile(rf"(?<![{LETTER}])(?i:(?:{_MONTHS_PL})\s+\d{{4}}(?:\s*r\.?)?)(?!\w)"),
    # (2025 m.) kovo 12 (d.), 2025 m. kovo (mėn.), kovo 12-ąją
    re.compile(
        rf"(?<!\w)(?i:(?:\d{{4}}\s*m\.\s*)?(?:{_MONTHS_LT})\s+\d{{1,2}}(?:\s*d\.|-?(?:ąją|ają|oji|osios|ą))?)(?![\w])"
    ),
    re.compile(rf"(?<!\w)(?i:\d{{4}}\s*m\.\s*(?:{_MONTHS_LT})(?:\s+mėn\.)?)(?![{LETTER}])"),
]

_NOT_AN_AGE = (  # "I am 34 weeks pregnant", "I was 15 minutes late"
    r"(?!\s*(?:%|percent|per\s|weeks?|days?|months?|minutes?|mins?|hours?|hrs?|times?|miles?|km|"
    r"foot|feet|ft|pounds?|quid|stone|kg|p\b|am\b|pm\b|o'clock))"
)
_AGE_CUES_EN = r"I\s+am|I'm|I’m|Im|I\s+was|she\s+is|he\s+is|she's|he's|she\s+was|he\s+was|aged|age"
_AGE_CUES_PL = r"mam|miałam|miałem|ma|miała|miał|mając|skończyłam|skończyłem|skończył|skończyła"
_AGE_WORDS_PL = r"letni|letnia|letnie|letniego|letniej|latek|latka"
_AGE_CUES_LT = r"man|jam|jai|jos|jo|esu|buvau"
_AGE_WORDS_LT = r"metų\s+amžiaus|metė|metis|mečio|metės|mečiui|metei|mečiai"
_AGE = r"(?P<x>\d{1,3})"
_AGES = [
    re.compile(rf"(?i)(?<![{LETTER}])(?:{_AGE_CUES_EN})\s+{_AGE}(?!\d){_NOT_AN_AGE}"),
    re.compile(rf"(?i)(?<![\w]){_AGE}(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old"),
    re.compile(rf"(?i)(?<![\w]){_AGE}\s*(?:yo|y/o|y\.o\.)(?![\w])"),
    re.compile(rf"(?i)(?<![{LETTER}])(?:{_AGE_CUES_PL})\s+{_AGE}\s+(?:lat|lata|roku)(?![{LETTER}])"),
    re.compile(rf"(?i)(?<![{LETTER}])w\s+wieku\s+{_AGE}(?!\d)"),
    re.compile(rf"(?i)(?<![\w]){_AGE}(?:\s*|-)(?:{_AGE_WORDS_PL})(?![{LETTER}])"),
    re.compile(rf"(?i)(?<![{LETTER}])(?:{_AGE_CUES_LT})(?:\s+(?:buvo|yra|jau))?\s+{_AGE}\s*(?:metų|metai|metukai|m\.)"),
    re.compile(rf"(?i)(?<![\w]){_AGE}(?:\s*|-)(?:{_AGE_WORDS_LT})(?![{LETTER}])"),
]

_SCHOOL_WORDS = r"School|Academy|College|Nursery|University|Sixth\s+Form|Infants|Juniors"
_GENERIC_SCHOOL = frozenset(
    "the a primary secondary high junior infant infants grammar community catholic sixth form church "
    "special free my our his her their local new".split()
)
_SCHOOL_EN = re.compile(
    rf"(?<![{LETTER}])(?:(?:St\.?|Saint)\s+)?{CAP}(?:\s+(?:of\s+|&\s+)?{CAP}){{0,4}}\s+(?:{_SCHOOL_WORDS})(?![{LETTER}])"
)
_SCHOOL_PL = re.compile(
    rf"(?i)(?<![{LETTER}])(?:szkoł[aęyi]|szkole|liceum|gimnazjum|przedszkol[aeu]|przedszkolem|technikum|zespół\s+szkół)"
    rf"(?:\s+[{LETTER}]+){{0,3}}?(?:\s+(?:nr|numer)\.?\s*\d+(?:\s+im\.\s*(?-i:{CAP})(?:\s+(?-i:{CAP}|[IVX]+)){{0,3}})?"
    rf"|\s+im\.\s*(?-i:{CAP})(?:\s+(?-i:{CAP}|[IVX]+)){{0,3}})"
)
_SCHOOL_LT = re.compile(
    rf"(?<![{LETTER}]){CAP}(?:\s+{CAP}){{0,2}}\s+(?:pro)?(?:mokykl|gimnazij|progimnazij|licėj|darželi)[{LOWER}]*(?![{LETTER}])"
)

_EMPLOYERS = (
    r"Tesco|Sainsbury'?s|Asda|Morrisons|Aldi|Lidl|Waitrose|Co-op|M&S|Marks\s+(?:&|and)\s+Spencer|Primark|"
    r"Amazon|McDonald'?s|KFC|Costa|Starbucks|Greggs|Argos|Royal\s+Mail|Sports\s+Direct|Currys|Deliveroo|Uber|"
    r"Biedron\w+|Żab\w+|Maxim\w+|Rimi|Iki|Norfa"
)
_WORKPLACES = [
    re.compile(rf"(?<![{LETTER}])(?:{_EMPLOYERS})(?:\s+{CAP}){{0,2}}(?![{LETTER}])"),
    re.compile(
        rf"(?i)(?<![{LETTER}])(?:I\s+(?:work|worked|am\s+working|was\s+working)\s+(?:at|for|in)|my\s+job\s+(?:at|with)|"
        rf"I'm\s+working\s+(?:at|for)|pracuję\s+w|pracowałam\s+w|pracowałem\s+w|dirbu|dirbau)"
        rf"\s+(?:(?:the|firmie|fabryce|sklepie|zakładzie|restauracji|įmonėje|parduotuvėje|gamykloje)\s+)?"
        rf"(?P<x>(?-i:{CAP})(?:\s+(?:&\s+)?(?-i:{CAP})){{0,3}})"
    ),
    re.compile(rf"(?<![{LETTER}]){CAP}(?:\s+{CAP}){{0,3}}\s+(?:Ltd|Limited|plc|PLC|LLP|Sp\.\s*z\s*o\.\s*o\.|UAB)(?![{LETTER}])"),
]


def _phones(text: str) -> list[Suggestion]:
    found = []
    for match in _PHONE_CANDIDATE.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if raw.startswith("+") or raw.startswith("00"):
            digits = digits[2:] if raw.startswith("00") else digits
            ok = (digits.startswith("44") and len(digits) in (11, 12) and digits[2:3] in "1237") or (
                not digits.startswith("44") and 9 <= len(digits) <= 13
            )
        else:
            ok = (
                (digits[:1] == "0" and digits[1:2] in ("1", "2", "3", "7") and len(digits) in (10, 11))
                or bool(_PL_MOBILE.fullmatch(raw))
                or (len(digits) == 9 and digits.startswith("86"))  # Lithuanian mobile, "8 612 34567"
            )
        if ok:
            found.append(Suggestion(match.start(), match.end(), "phone", raw))
    return found


def _postcodes(text: str) -> list[Suggestion]:
    found = [
        Suggestion(m.start(), m.end(), "postcode", m.group())
        for pattern in (_POSTCODE_FULL, _POSTCODE_PL_LT)
        for m in pattern.finditer(text)
    ]
    for match in _POSTCODE_OUTWARD.finditer(text):
        if match.group("area") not in POSTCODE_AREAS:
            continue
        if re.search(r"(?i)\bthe\s+$", text[max(0, match.start() - 4) : match.start()]):
            continue  # "the M11" is a road
        found.append(Suggestion(match.start(), match.end(), "postcode", match.group()))
    return found


def _schools(text: str) -> list[Suggestion]:
    found = []
    for match in _SCHOOL_EN.finditer(text):
        words = match.group().split()
        # "Primary School" alone names no school; "Oakwood Primary School" does
        named = [w for w in words[:-1] if w.casefold().strip(".") not in _GENERIC_SCHOOL | {"st", "saint", "of", "&"}]
        start = match.start()
        # "The Oakwood School": leave a leading "The" in the text
        if words[0] in ("The", "A", "My", "Our"):
            start = match.start() + len(words[0]) + 1
        if named or words[0] in ("St", "St.", "Saint"):
            found.append(Suggestion(start, match.end(), "school", text[start : match.end()]))
    for pattern in (_SCHOOL_PL, _SCHOOL_LT):
        found += [Suggestion(m.start(), m.end(), "school", m.group()) for m in pattern.finditer(text)]
    return found


def _by_pattern(text: str, patterns, kind: str) -> list[Suggestion]:
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            group = "x" if "x" in pattern.groupindex else 0
            start, end = match.span(group)
            found.append(Suggestion(start, end, kind, text[start:end]))
    return found


def _other_candidates(text: str) -> list[Suggestion]:
    found: list[Suggestion] = []
    found += [Suggestion(m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text)]
    found += _phones(text)
    found += _postcodes(text)
    found += _by_pattern(text, (_ADDRESS_EN, _ADDRESS_PL, _ADDRESS_LT), "address")
    found += _schools(text)
    found += _by_pattern(text, _WORKPLACES, "workplace")
    found += _by_pattern(text, _DATES, "date")
    found += _by_pattern(text, _AGES, "age")
    return found


def _choose(candidates: list[Suggestion], taken: list[Suggestion]) -> list[Suggestion]:
    """Longest first (then by kind), skipping any that overlaps one already taken."""
    chosen: list[Suggestion] = []
    for candidate in sorted(candidates, key=lambda s: (-(s.end - s.start), KINDS.index(s.kind), s.start)):
        if all(candidate.end <= c.start or c.end <= candidate.start for c in taken + chosen):
            chosen.append(candidate)
    return chosen


def _mask(text: str, spans) -> str:
    """``text`` with ``spans`` blanked out (same length), so names are looked for around them."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\x00" * (end - start)
    return "".join(chars)


def suggest(text: str) -> list[Suggestion]:
    """Non-overlapping suggestions in text order.

    Emails, phone numbers, postcodes, addresses, schools, workplaces, dates and ages are
    found first (longer finds win; on a tie, the kind earlier in ``KINDS``); names are then
    looked for in what is left. Anything inside ``[...]`` (an earlier redaction) is skipped.
    """
    bracketed = [m.span() for m in _BRACKETED.finditer(text)]

    def usable(s: Suggestion) -> bool:
        return s.end > s.start and bool(s.text.strip()) and not any(s.start < e and b < s.end for b, e in bracketed)

    others = _choose([s for s in _other_candidates(text) if usable(s)], [])
    masked = _mask(text, [(s.start, s.end) for s in others] + bracketed)
    names = [
        Suggestion(s.start, s.end, s.kind, text[s.start : s.end])
        for s in _cued_names(masked) + _capitalised_names(masked)
    ]
    names = _choose([s for s in names if usable(s)], others)
    return sorted(others + names, key=lambda s: s.start)


def apply(text: str, suggestions: list[Suggestion]) -> str:
    """``text`` with each suggestion replaced by its bracketed word."""
    parts = []
    position = 0
    for suggestion in sorted(suggestions, key=lambda s: s.start):
        if suggestion.start < position:
            continue
        parts.append(text[position : suggestion.start])
        parts.append(suggestion.replacement)
        position = suggestion.end
    parts.append(text[position:])
    return "".join(parts)


def redact(text: str) -> tuple[str, list[Suggestion]]:
    """The text with every suggestion applied, and the suggestions."""
    suggestions = suggest(text)
    return apply(text, suggestions), suggestions
