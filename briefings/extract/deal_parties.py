"""Who is party to a deal: the countries and organisations that sign, invest, lend or borrow.

Not every country a sentence names is a party. A country is no party when it only names a
currency ("U.S. dollars", "Ghanaian cedis"), qualifies a company ("a Chinese oil company"),
sits inside a compound name ("the Peru-Chile Business Council") or owns the organisation that
signs ("Oman's Acme Holding"). A ministry or treasury is its country ("Peru's Ministry of
Investment" -> Peru); "China's central bank" is the article's Chinese bank when it names one.
An organisation that only reports ("the Treasury said") is no party. Unnamed companies
("investment by companies", "companies including A and B") are the party `companies`, of one
origin "Basque companies". Names the entity layer missed come from how the text describes them
("state oil company X", "X, a leading ... corporation", "X and Y signed", "Acme" after
"Acme Energy Group Ltd."), without legal forms. A region served ("a package for Central
Asia") is a party. With several amounts in a sentence, each takes the parties of its own stretch.
Parties guessed from the article's main pair (to make two) are remembered as guessed, so that
a later telling naming both sides can replace them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from briefings.data.lexicons import load_json, load_lines
from briefings.extract.context import ArticleContext
from briefings.extract.deal_terms import QUALIFIER, acronym_parties, named_parties, terms
from briefings.extract.entities import Mention
from briefings.extract.organisations import known_acronyms
from briefings.extract.places import country_of, demonyms, fold, places
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import phrase_pattern
from briefings.models import Deal, Organisation

UNNAMED_COMPANIES = "companies"
_MAX_PARTIES = 4
_WORD = re.compile(r"[\w’'&-]+(?:\.[\w’'&-]+)*")
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\s+")
# "companies from Catalonia, Spain": the country only locates the place before it.
_PLACE_BEFORE = re.compile(r"\b(?:from|in|of|at|near|across|based\s+in)\s+"
                           r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?),\s+$")


@cache
def _currency_words() -> frozenset[str]:
    """First words of currency names ("dollars", "yuan", "cedis"), to spot "U.S. dollars"."""
    lexicon = load_json("currencies.json")
    names = [n for c in lexicon["currencies"] for n in c.get("names", [])]
    names += [n for a in lexicon["ambiguous"] for n in a.get("names", [])]
    return frozenset(fold(n.split()[-1]) for n in names)


def _next_words(text: str, pos: int, count: int) -> list[str]:
    return [fold(w) for w in _WORD.findall(text[pos:pos + 80])[:count]]


def _previous_words(text: str, pos: int, count: int) -> list[str]:
    return [fold(w) for w in _WORD.findall(text[max(0, pos - 60):pos])[-count:]]


def _names_currency(text: str, end: int) -> bool:
    """"U.S. dollars", "Ghanaian cedis": the country word only names money."""
    words = _next_words(text, end, 1)
    # "U.S. dollars", "dollar-denominated": the first part of a hyphenated word counts
    return bool(words) and words[0].split("-")[0] in _currency_words()


def _qualifies_company(text: str, mention: Mention, start: int, end: int) -> bool:
    """"a Chinese state-run oil company Acmeoil", "Acmeoil, a Chinese petroleum corporation",
    "American and Mexican companies": an adjective of origin for a company named beside it, or for
    companies in general. "The Saudi fund pledged ..." names no company: the country stays."""
    if mention.text not in demonyms():
        return False
    nouns = set(terms().company_nouns)
    following = list(_WORD.finditer(text, end, min(len(text), end + 80)))[:4]
    for found in following:
        word = found.group(0)
        folded = fold(word)
        if folded in nouns:
            plural = folded.endswith("s") and not folded.endswith("ss")  # "companies", not "business"
            named_after = re.match(r",?\s+(?:the\s+)?[A-Z]", text[found.end():]) is not None
            named_before = re.search(r"[A-Z][\w&.-]*,\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}$",
                                     text[max(0, start - 80):start]) is not None
            return plural or named_after or named_before
        if folded in ("and", "or") or folded in demonyms_folded():
            continue
        if word[:1].isalpha() and word == word.lower() and folded not in terms().government_bodies:
            continue  # lower-case modifiers between ("state-run oil")
        return False
    return False


@cache
def demonyms_folded() -> frozenset[str]:
    return frozenset(fold(d) for d in demonyms())


def _region_served(mention: Mention, sentence: Sentence) -> bool:
    """"a package for West Asia", "projects to West Africa": a region as the counterparty."""
    if places().get(mention.key, "") is not None:
        return False  # a city or a country's region only locates something
    before = sentence.text[max(0, mention.start - sentence.start - 12):mention.start - sentence.start]
    return re.search(r"\b(?:for|to|with|into|across)\s+(?:the\s+)?$", before) is not None


def _locates_a_place(text: str, start: int) -> bool:
    m = _PLACE_BEFORE.search(text, max(0, start - 60), start)
    return m is not None and m.end() == start and country_of(m.group(1)) is None


def _in_compound_name(text: str, start: int, end: int) -> bool:
    """"the Peru-Chile Business Council", "Ghana-Togo Economic Forum": part of another name.
    A compound naming a deal ("the Peru-Chile Free Trade Agreement") still names its parties."""
    before, after = text[max(0, start - 1):start], text[end:end + 1]
    if before not in "-–" and after not in "-–":
        return False
    tail = re.match(r"(?:[-–][\w’'.]+)*\s+((?:[A-Z][\w’'&.-]*\s*){1,4})", text[end:end + 80])
    if tail is None:
        return False
    head = tail.group(1).strip()
    return phrase_pattern(tuple(_trigger_phrases())).match(head) is None


@cache
def _trigger_phrases() -> tuple[str, ...]:
    return tuple(p for phrases in terms().kinds.values() for p in phrases)


def _reports_only(text: str, start: int, end: int) -> bool:
    """"the National Treasury said", "according to the bank": a source, not a signatory."""
    after = _next_words(text, end, 3)
    verbs = set(terms().reporting_verbs)
    skip = _skip_bracket(text, end)
    if skip != end:
        after = _next_words(text, skip, 3)
    if after[:1] and after[0] in verbs:
        # "Acme said on Monday it would invest ...": the source speaks of its own deal
        return _SPEAKS_OF_ITSELF.match(text, skip) is None
    before = " ".join(_previous_words(text, start, 3))
    return bool(re.search(r"\baccording to(?: the)?$", before))


_SPEAKS_OF_ITSELF = re.compile(r"\s+\w+(?:\s+(?:on|late|early)\s+\w+)?(?:\s+(?:in\s+a\s+statement|that))?"
                               r"\s+(?:it|they|its|their)\s+(?:would|will|had|has|have|was|were|is|are|plans|"
                               r"planned|intends|agreed|signed)\b")


def _skip_bracket(text: str, end: int) -> int:
    m = re.match(r"\s*\([^()]{1,12}\)", text[end:])
    return end + m.end() if m else end


def _government_body(name: str) -> bool:
    """"Ministry of Energy", "National Treasury": a body that stands for its government."""
    return any(w in set(terms().government_bodies) for w in fold(name).split()[:2])


def _national_institution(name: str) -> bool:
    """"Central Bank of Egypt", "Export-Import Bank of China": named after its country."""
    return " of " in name and country_of(name.rsplit(" of ", 1)[1]) is not None


def _owner_country(text: str, mention: Mention, sentence: Sentence) -> str | None:
    """The country written as the owner right before an organisation ("Peru's Ministry")."""
    before = text[max(0, mention.start - sentence.start - 40):mention.start - sentence.start]
    m = re.search(r"([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})['’]s?\s+(?:the\s+)?$", before)
    return country_of(m.group(1)) if m else None


def _central_bank_of(text: str, country: str, orgs: Sequence[Organisation]) -> str | None:
    """"China's central bank" -> the bank of that country the article names, if exactly one."""
    banks = [o.name for o in orgs if o.country == country and "bank" in fold(o.name).split()
             and not _government_body(o.name)]
    return banks[0] if len(banks) == 1 else None


_OF_THE = re.compile(r"\s+of\s+the\s+")
_POSSESSIVE = re.compile(r"\b([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)['’]s?\s+")


@cache
def _known_bodies() -> re.Pattern[str]:
    """The full names of the well-known international bodies ("European Union", "Asian Development Bank")."""
    names = sorted(known_acronyms().values(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


@cache
def _office_words() -> frozenset[str]:
    """Words of titles, honorifics and state institutions: "Peru's Finance Minister" is no company."""
    words = {fold(w) for line in [*load_lines("titles.txt"), *load_lines("honorifics.txt")]
             for w in line.split() if w[:1].isupper()}
    words |= {fold(w) for w in [*terms().institution_words, *terms().not_party_words,
                                 *terms().government_bodies]}
    return frozenset(words)


_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'&.-]*(?:\s+(?:and|of|for|the|&)?\s*[A-Z][\w’'&.-]*){0,5}")
# "The bank also approved ...", "The lender will sign ...": a lender told before, not named again
_LENDER_ANAPHOR = re.compile(r"(?:^|[,;]\s+)[Tt]he\s+(?:bank|lender|fund)\b(?!\s+of\b)")
_GROUP_EXAMPLES = re.compile(r"\b(companies|firms|businesses|enterprises|investors)\s+(?:including|such\s+as|"
                             r"like|among\s+them)\s+", re.IGNORECASE)
_BY_GROUP = re.compile(r"\b(?:by|from)\s+(?:(?:some|several|many|private|foreign|[A-Z]\w+)\s+)?"
                       r"(?:companies|firms|businesses|enterprises|investors)\b", re.IGNORECASE)
_LIST_END = re.compile(r"\s+(?:announced|signed|said|have|has|will|plan|pledged|committed|agreed)\b|[;:—]")


@dataclass
class PartyFinder:
    """Deal parties for the sentences of one article; built once per article."""

    ctx: ArticleContext
    by_sentence: dict[int, list[str]] = field(default_factory=dict)
    main: list[str] = field(default_factory=list)
    guessed: dict[int, frozenset[str]] = field(default_factory=dict)
    _mentions: dict[int, list[Mention]] = field(default_factory=dict)
    _by_start: dict[int, int] = field(default_factory=dict)
    _firsts: dict[str, str] = field(default_factory=dict)
    _orgs: dict[str, Organisation] = field(default_factory=dict)
    _positions: dict[tuple[int, str], int] = field(default_factory=dict)
    _owners: dict[int, set[str]] = field(default_factory=dict)
    _told: dict[tuple[int, tuple[str, ...]], tuple[list[str], frozenset[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Indexes built once, so that each sentence costs only its own mentions (linear in the article).
        for m in self.ctx.entities.mentions:
            self._mentions.setdefault(m.sentence, []).append(m)
        self._by_start = {s.start: s.index for s in self.ctx.sentences}
        self._orgs = {o.name: o for o in self.ctx.entities.organisations}
        for org in self.ctx.entities.organisations:
            first = re.split(r"[^\w&-]", org.name, maxsplit=1)[0]
            if len(org.name.split()) > 1 and first[:1].isupper() and len(first) > 2 \
                    and fold(first) not in set(terms().government_bodies) and country_of(first) is None:
                self._firsts.setdefault(first, org.name)
        kept: list[tuple[int, str, str, int]] = []  # (sentence, kind, key, offset in the sentence)
        by_index = {s.index: s for s in self.ctx.sentences}
        for mention in self.ctx.entities.mentions:
            sentence = by_index.get(mention.sentence)
            if sentence is None:
                continue
            if mention.kind == "place":
                if _region_served(mention, sentence):
                    kept.append((mention.sentence, mention.kind, mention.key, mention.start - sentence.start))
                continue
            if mention.kind not in ("country", "organisation"):
                continue
            key = self._resolve(mention, sentence)
            if key is not None:
                kept.append((mention.sentence, mention.kind, key, mention.start - sentence.start))
        for index, _, key, start in kept:
            self.by_sentence.setdefault(index, [])
            if key not in self.by_sentence[index]:
                self.by_sentence[index].append(key)
            self._positions.setdefault((index, key), start)
        counts = Counter(key for _, kind, key, _ in kept if country_of(key) == key)
        self.main = [k for k, _ in counts.most_common(2)]

    def _resolve(self, mention: Mention, sentence: Sentence) -> str | None:
        text = sentence.text
        start, end = mention.start - sentence.start, mention.end - sentence.start
        if mention.kind == "country":
            if _names_currency(text, end) or _qualifies_company(text, mention, start, end):
                return None
            if _in_compound_name(text, start, end) or _locates_a_place(text, start):
                return None
            after = text[end:]
            if _POSSESSIVE_AFTER.match(after):
                rest = after[_POSSESSIVE_AFTER.match(after).end():]  # type: ignore[union-attr]
                if re.match(r"central\s+bank\b", rest, re.IGNORECASE):
                    return _central_bank_of(text, mention.key, self.ctx.entities.organisations) or mention.key
                owned = next((m for m in self._mentions.get(sentence.index, [])
                              if m.kind == "organisation" and 0 <= m.start - mention.end <= 8), None)
                described = _owns_described().match(rest)
                bare = self._owned_name(sentence, len(text) - len(rest))
                if (owned is not None and not _government_body(owned.key)) \
                        or described or bare or _OWNS_REGION.match(rest):
                    # "Oman's Acme Holding", "Norway's state-owned energy company Acme", "China's Xyz
                    # province": the owned body signs, not its home country (nor is that its counterparty,
                    # unless the body only reports: "Oman's state news agency ONA reported")
                    name_at = len(text) - len(rest) + (described.end() - 1 if described else 0)
                    name = re.match(_NAME1, text[name_at:])
                    if name is None or not _reports_only(text, name_at, name_at + name.end()):
                        self._owners.setdefault(sentence.index, set()).add(mention.key)
                    return None
            joined = self._of_the(sentence, mention)
            if joined is not None:
                return joined  # "the Central Bank of the UAE": the country ends the bank's name
            if re.search(r"\bBank\s+$", text[max(0, start - 5):start]):
                return f"Bank {mention.key}"  # a central bank named "Bank <country>"
            return mention.key
        if _reports_only(text, start, end):
            return None
        gap = _OF_THE.match(text, end)
        if gap is not None and any(m.kind == "country" and m.start - sentence.start == gap.end()
                                   for m in self._mentions.get(sentence.index, [])):
            return None  # "Central Bank" of "the Central Bank of the UAE": the country mention names it
        if _government_body(mention.key):
            owner = _owner_country(text, mention, sentence)
            org = self._orgs.get(mention.key)
            return owner or (org.country if org and org.country else None) or self.ctx.entities.main_country
        return mention.key

    def parties(self, sentence: Sentence, fallback: Sequence[str] = ()) -> list[str]:
        """The sentence's parties, topped up to two from `fallback` and the article's main pair.
        Remembered per sentence: a sentence of many amounts asks once per amount."""
        key = (sentence.index, tuple(fallback))
        if key not in self._told:
            parties = self._parties(sentence, fallback)
            self._told[key] = (parties, self.guessed[sentence.index])
        parties, guessed = self._told[key]
        self.guessed[sentence.index] = guessed
        return list(parties)

    def _parties(self, sentence: Sentence, fallback: Sequence[str]) -> list[str]:
        text = sentence.text
        keys = list(self.by_sentence.get(sentence.index, []))
        examples = self._examples(text)
        if examples is not None:
            keys = [k for k in keys if k not in examples] + [UNNAMED_COMPANIES]
        elif _BY_GROUP.search(text):
            keys.append(UNNAMED_COMPANIES)
        keys += acronym_parties(text, self.ctx.entities.organisations)
        mentions = self._mentions.get(sentence.index, [])
        spans = [(m.start - sentence.start, m.end - sentence.start) for m in mentions]
        named = [(m.start - sentence.start, m.end - sentence.start) for m in mentions if m.kind != "person"]
        keys += _qualified_groups(text)
        keys += [p for name in named_parties(text, spans) for p in _split_and(name)]
        keys += described_names(text, named)
        keys += self._short_names(text, spans)
        keys += [name for m in _POSSESSIVE.finditer(text) if country_of(m.group(1)) is not None
                 and (name := self._owned_name(sentence, m.end())) is not None]
        keys += [m.group(0) for m in _known_bodies().finditer(text)
                 if not any(a <= m.start() < b for a, b in spans)]  # "the European Union" spelled out
        lender = phrase_pattern(tuple(terms().lender_words))
        if _LENDER_ANAPHOR.search(text) and not any(lender.search(k) for k in keys):
            keys = self._last_lender(sentence.index, lender) + keys  # "The bank also approved ..."
        parties = _without_home_countries(list(dict.fromkeys(keys)), self._orgs)
        parties = list(dict.fromkeys(_strip_legal(p) for p in parties))[:_MAX_PARTIES]
        own = set(parties)
        only_lenders = bool(parties) and all(lender.search(p) for p in parties)
        main = self.main
        if only_lenders and main and not set(main) & set(parties) and main[0] not in parties:
            parties.append(main[0])  # "the World Bank announced a package": a lender lends to someone
        owners = self._owners.get(sentence.index, set())
        for extra in [*fallback, *main]:
            if len(parties) >= 2:
                break
            if extra not in parties and extra not in owners:
                parties.append(extra)
        self.guessed[sentence.index] = frozenset(parties) - own
        return parties

    def _owned_name(self, sentence: Sentence, at: int) -> str | None:
        """"Switzerland's Alpenfin", "Brazil's Banco Xyz": a name the entity layer left unresolved
        right after a country's possessive, which is no title, office or institution of that country
        ("Kenya's President", "Peru's National Assembly") and no person the entity layer knows."""
        text = sentence.text
        qualifier = QUALIFIER.match(text, at)  # "Nigeria's Acme-backed Xyz Refining"
        at = qualifier.end() if qualifier else at
        m = re.compile(_NAME1).match(text, at)
        if m is None:
            return None
        # the whole capitalised run, "and" included: "Peru's Belt and Road Initiative" is a programme
        run = _CAPITALISED_RUN.match(text, at)
        words = [fold(w) for w in re.findall(r"[\w’'&.-]+", run.group(0) if run else m.group(0))]
        if set(words) & _office_words() or country_of(m.group(0)) is not None or m.group(0) in demonyms():
            return None
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if any(x.start < end and start < x.end for x in self._mentions.get(sentence.index, [])):
            return None  # a person, a place or an organisation the entity layer resolved itself
        return _strip_legal(m.group(0).rstrip(".,"))

    def _of_the(self, sentence: Sentence, mention: Mention) -> str | None:
        """"the Central Bank of the UAE": an organisation named up to "of the", then the country."""
        for org in self._mentions.get(sentence.index, []):
            if org.kind != "organisation" or not 0 < mention.start - org.end <= 8:
                continue
            gap = _OF_THE.match(sentence.text, org.end - sentence.start)
            if gap is not None and gap.end() == mention.start - sentence.start:
                return f"{org.key} of the {mention.text}"
        return None

    def _last_lender(self, index: int, lender: re.Pattern[str]) -> list[str]:
        """The bank, lender or fund named last in the three sentences before `index`."""
        for before in range(index - 1, max(-1, index - 4), -1):
            found = [m.key for m in self._mentions.get(before, [])
                     if m.kind == "organisation" and lender.search(m.key)]
            if found:
                return found[-1:]
        return []

    def within(self, sentence: Sentence, lo: int, hi: int, subject_end: int,
               tail_start: int) -> list[str] | None:
        """Parties named between `lo` and `hi` of the sentence, with the subject told before
        `subject_end` or an object told after `tail_start` (the last amount) when they are fewer
        than two ("Kenya signed a $2bn loan with China and a $500m grant with Japan": Japan and
        Kenya for the grant; "X pledged $5bn and Y $3bn to rebuild Syria"); None when none is there."""
        own = self.own_parties(sentence)

        def position(party: str) -> int:
            found = self._positions.get((sentence.index, party))
            return found if found is not None else sentence.text.find(party.split()[0])

        inside = [p for p in own if lo <= position(p) < hi]
        if not inside:
            return None
        subject = [p for p in own if 0 <= position(p) < subject_end and p not in inside]
        tail = [p for p in own if position(p) >= tail_start and p not in inside + subject]
        return (inside + subject + tail)[:max(2, len(inside))]

    def own_parties(self, sentence: Sentence) -> list[str]:
        """The parties the sentence itself names (none guessed from the article)."""
        parties = self.parties(sentence)
        return [p for p in parties if p not in self.guessed.get(sentence.index, frozenset())]

    def guessed_in(self, deal: Deal) -> frozenset[str]:
        """Parties of `deal` that were guessed from the article rather than named in its sentence."""
        start = deal.evidence[0].start if deal.evidence else -1
        index = self._by_start.get(start)
        return self.guessed.get(index, frozenset()) if index is not None else frozenset()

    def _short_names(self, text: str, taken: Sequence[tuple[int, int]]) -> list[str]:
        """"Acme plans to invest": the short form of an organisation named in full before
        ("Acme Energy Group Ltd.")."""
        firsts = self._firsts
        if not firsts:
            return []
        out = []
        for m in re.finditer(r"\b[A-Z][\w&-]+\b", text):
            if m.group(0) in firsts and not any(a <= m.start() < b for a, b in taken):
                out.append(firsts[m.group(0)])
        return out

    def _examples(self, text: str) -> set[str] | None:
        """"Companies including A and B announced ...": A and B are examples of the party."""
        m = _GROUP_EXAMPLES.search(text)
        if m is None:
            return None
        stop = _LIST_END.search(text, m.end())
        listed = text[m.end():stop.start() if stop else len(text)]
        names = {o.name for o in self.ctx.entities.organisations if o.name in listed}
        return names


    def around_amount(self, sentence: Sentence, start: int, end: int) -> list[str]:
        """"a $2bn World Bank loan to Kenya", "Acme Capital's $3bn investment in Peru": the lender or
        investor and the borrower or recipient written around one amount, when both are there."""
        text = sentence.text
        m = _LOAN_AROUND.match(text, end)
        giver = m.group("giver") if m else None
        if giver is None:
            owner = _OWNER_BEFORE.search(text[max(0, start - 60):start])
            giver = owner.group(1) if owner else None
        taker = m.group("taker") if m else None
        if giver is None or taker is None:
            return []
        return [_strip_legal(self._canonical(name.rstrip(".,;:"))) for name in (giver, taker)]

    def _canonical(self, name: str) -> str:
        name = name.strip()
        country = country_of(name)
        if country is not None:
            return country
        org = next((o.name for o in self.ctx.entities.organisations
                    if name in (o.name, o.acronym, *o.aliases)), None)
        return org or name


_NAME1 = (r"[A-Z][\w&’'.-]*(?:\s+(?:of|de|del|da|di|la|des|du|van|von|for|&)\s+[A-Z][\w&’'.-]*"
          r"|\s+[A-Z][\w&’'.-]*)*")
_LOAN_AROUND = re.compile(rf"\s+(?:(?P<giver>{_NAME1})\s+)?(?:loan|loans|credit\s+line|line\s+of\s+credit|"
                          rf"financing|investment|investments)\s+(?:to|for|in|into)\s+(?:the\s+)?"
                          rf"(?P<taker>{_NAME1})")
_OWNER_BEFORE = re.compile(rf"({_NAME1})['’]s?\s+$")


@cache
def _company_nouns() -> str:
    return "|".join(re.escape(n) for n in sorted(terms().company_nouns, key=len, reverse=True))


# After "<country>'s": lower-case modifiers and a company noun, then the name of the company
# ("state-owned power utility Acme Power", "development agency Agence X").
@cache
def _owns_described() -> re.Pattern[str]:
    return re.compile(rf"(?:the\s+)?(?:[a-z][\w’'-]*\s+){{0,4}}(?:{_company_nouns()})\s+[“\"]?[A-Z]")



# "China's Xyz province", "India's Abc state government": a province or state signs for itself.
_REGION_NOUNS = (r"(?:province|prefecture|region|state\s+government|provincial\s+government"
                 r"|regional\s+government)")
_OWNS_REGION = re.compile(rf"({_NAME1})\s+{_REGION_NOUNS}\b")


@cache
def _descriptor_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    nouns = _company_nouns()
    before = re.compile(rf"\b(?:{nouns})['’]?,?\s+[“\"]?({_NAME1})")
    after = re.compile(rf"({_NAME1}),\s+(?:a|an|the|[A-Z][\w-]*['’]s?)\s+"
                       rf"(?:[\w’'-]+\s+){{0,4}}?(?:{nouns})\b")
    return before, after


def described_names(text: str, taken: Sequence[tuple[int, int]]) -> list[str]:
    """Names the text describes as a company: "state oil company Petrolera Andina",
    "Acmeoil, a leading Chinese petroleum corporation", "the employers' confederation, Fomento Vasco"."""
    blocked = set(terms().not_party_words)
    out: list[str] = []
    for pattern in _descriptor_patterns():
        for m in pattern.finditer(text):
            name = m.group(1).removesuffix("’s").removesuffix("'s").rstrip(".,")
            start, end = m.start(1), m.start(1) + len(name)
            if not name or any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if name.split()[0] in blocked or country_of(name) is not None or name in demonyms():
                continue
            if _reports_only(text, start, end):
                continue  # "the news agency Xyz reported": a source, not a signatory
            out.append(name)
    for m in _OWNED_REGION.finditer(text):
        if country_of(m.group(1)) is not None and not _is_country(m.group(2)):
            out.append(m.group(2))  # "China's Xyz province signed ...": the province is the party
    for m in _REGION_GOVERNMENT.finditer(text):
        if m.group(1).split()[0] not in blocked and not _is_country(m.group(1)):
            out.append(m.group(1))  # "a loan to the Xyz state government": the state borrows
    return out


def _is_country(name: str) -> bool:
    """A country's name (a city or region maps to its country too, but is no country itself)."""
    return country_of(name) is not None and name not in places()


_REGION_GOVERNMENT = re.compile(rf"\b(?:to|with|and|from|for)\s+the\s+({_NAME1})\s+"
                                r"(?:state|provincial|regional|municipal|city)\s+government\b")


_OWNED_REGION = re.compile(rf"({_NAME1})['’]s?\s+({_NAME1})\s+{_REGION_NOUNS}\b")


_GROUP_NOUN = r"(?:companies|firms|enterprises|businesses)"
_QUALIFIED_GROUP = re.compile(rf"\b(?:between\s+[^,;]{{1,60}}?\s+and|with|by)\s+(?:the\s+)?([A-Z][a-z]+)\s+"
                              rf"{_GROUP_NOUN}\b")


def _qualified_groups(text: str) -> list[str]:
    """"between the government and Basque enterprises": unnamed companies of one origin."""
    return [f"{m.group(1)} {UNNAMED_COMPANIES}" for m in _QUALIFIED_GROUP.finditer(text)
            if m.group(1) not in terms().not_party_words]


@cache
def _legal_forms() -> frozenset[str]:
    return frozenset(fold(f).replace(".", "") for f in terms().legal_forms)


def _strip_legal(name: str) -> str:
    """"ACME S.p.A." -> "ACME", "Blue Harbour Cruises Ltd." -> "Blue Harbour Cruises"."""
    forms = _legal_forms()
    words = name.split()
    while len(words) > 1 and fold(words[-1].rstrip(",")).replace(".", "") in forms:
        words.pop()
    if len(words) == 1:  # "Shopwise.com Inc." is Shopwise
        words[0] = re.sub(r"(?<=\w)\.(?:com|net|org)$", "", words[0])
    return " ".join(words).rstrip(",")


def _split_and(name: str) -> list[str]:
    """"Acme and ORLEN" are two parties; "AT&T", "Bank of Industry & Trade" and "Ministry of Trade
    and Industry" (an "of" name going on with "and") stay whole."""
    parts = [part.strip() for part in re.split(r"\s+and\s+", name) if part.strip()]
    if len(parts) > 1 and " of " in f" {parts[0]} ":
        return [name]
    return parts


def _without_home_countries(parties: list[str], orgs: dict[str, Organisation]) -> list[str]:
    """A country stands down when a company of that country is the party (a Korean utility over Korea)."""
    homes = {o.country for p in parties if (o := orgs.get(p)) is not None and o.country
             and not _government_body(o.name) and not _national_institution(o.name)}
    return [p for p in parties if p not in homes]
