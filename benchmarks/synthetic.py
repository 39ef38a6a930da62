"""A synthetic edition of N documents shaped like State Department records, in the edition's own TEI, for the
benchmarks: telegrams and memoranda of conversation with their headers, forms, stamps, page breaks, names
linked to registers, notes and withheld text, their lengths drawn from those of real FRUS documents.

    python benchmarks/synthetic.py DIR N [--seed S]

Documents are written as strings, not lxml trees: building a tree per document would make 100,000 documents
take several times longer, and the benchmark only needs valid files. Each document has a random generator
of its own, seeded with the seed and its number, so the same seed and N give the same edition byte for byte.
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# Words of each document's TEI `text` (notes included, header not), split on whitespace, in the 504 files of
# ../shared/corpus/frus-docs (FRUS 1961-63 vols. VI and XV, 1969-76 vol. E-9 part 1), measured once on
# 2026-11-24 as (percentile, words). Kept here so the generator works without ../shared.
DOCUMENT_WORDS = (
    (0, 49), (1, 107), (2, 136), (5, 187), (10, 287), (15, 342), (20, 392), (25, 462), (30, 551), (35, 622),
    (40, 689), (45, 763), (50, 829), (55, 908), (60, 1020), (65, 1150), (70, 1298), (75, 1484), (80, 1738),
    (85, 2179), (90, 2520), (95, 3789), (98, 5014), (99, 6380), (100, 10142),
)
# Words per paragraph and per note in the same files, measured the same way (percentile, words).
PARAGRAPH_WORDS = ((0, 1), (10, 7), (25, 21), (50, 53), (75, 99), (90, 149), (100, 706))
NOTE_WORDS = ((0, 1), (10, 4), (25, 9), (50, 22), (75, 50), (90, 81), (100, 217))

# A typed page of a telegram or memorandum holds about 250-350 words (FRUS's printed pages, about 500 words,
# are not the pages of the archival copies this edition transcribes).
PAGE_WORDS = (250, 350)
# One name, place, organisation, term, date or emphasis in every this many words of running text.
WORDS_PER_MENTION = 16
# Besides its source note, a FRUS document has about one note per 800 words (2.5 notes in 1,220 words on average).
WORDS_PER_NOTE = 800

FIRST_DAY = date(1961, 1, 1)
LAST_DAY = date(1976, 12, 31)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

VOCABULARY = """
the the the the of of of of to to to and and and in in a a that that is was for on with as by be at it
would which he his this we our they their not have has had will should could may must also but or if from
government minister ambassador embassy department secretary president chairman delegation mission
conversation meeting talks discussion proposal position agreement treaty negotiations question problem
situation view views policy policies interest interests support assistance aid program programs economic
military political security forces troops defense nuclear weapons tests missiles bases access border
frontier trade tariffs credits loan loans payments balance dollar currency grain oil shipping aviation
conference council alliance allies allied western eastern soviet communist regime party leaders leadership
press statement public announcement communique draft text language paragraph point points note message
reply response instructions report reports reported informed told said stated asked agreed noted expressed
indicated suggested believed thought considered proposed stressed emphasized recalled added concluded
replied explained understood hoped feared urged wished intended planned requested recommended approved
important serious difficult possible necessary useful urgent early present recent current future previous
further full final formal informal private personal confidential preliminary general specific clear firm
strong close friendly frank cordial useful constructive reasonable acceptable unacceptable prepared ready
willing unable likely unlikely new old other same several many few some any each every all both either
time week weeks month months year years today yesterday tomorrow morning afternoon evening day days
matter matters issue issues question questions step steps action actions decision decisions course basis
line approach effort efforts results result effect effects reaction reactions attitude interest concern
concerns danger risk risks pressure pressures crisis crises tension tensions relations cooperation
consultation consultations contact contacts exchange exchanges visit visits trip return arrival departure
his her its them him us you whom who what when where why how there here then than now still only even
already soon again however therefore moreover accordingly nevertheless meanwhile otherwise indeed perhaps
about after against before between during into over under through without within toward upon across
""".split()
VOCABULARY_UPPER = [word.upper() for word in VOCABULARY]

FORENAMES = """Arthur Barbara Carl Charles Daniel David Donald Edward Eleanor Elizabeth Frank Frederick George
Gordon Harold Helen Henry Herbert Howard James John Joseph Katherine Kenneth Lawrence Leonard Louis Margaret
Martin Mary Nicholas Paul Philip Ralph Raymond Richard Robert Roger Samuel Stanley Theodore Thomas Walter
William""".split()
SURNAMES = """Abbott Ainsley Barlow Bentley Bishop Brandt Calder Carver Chandler Cortland Dalton Denholm Ellery
Emmons Farrell Fenwick Garland Gilmore Halvorsen Hartwell Holloway Ingram Jarvis Kendall Kimball Langley
Lockhart Maddox Merriam Norcross Oakley Pemberton Prescott Quimby Radcliffe Rowland Sheldon Stratton Talbot
Thorne Underhill Vance Waverly Whitcomb Winslow Yardley""".split()
OFFICES = ("Ambassador", "Counselor of Embassy", "Political Officer", "Deputy Assistant Secretary of State",
           "Minister", "Foreign Minister", "Special Assistant to the Secretary", "Director of the Office",
           "Chargé d'Affaires", "Economic Counselor", "Military Attaché", "Desk Officer")
PLACES = """Washington Paris London Bonn Berlin Moscow Rome Madrid Lisbon Brussels The-Hague Luxembourg
Copenhagen Oslo Stockholm Helsinki Vienna Bern Geneva Athens Ankara Belgrade Warsaw Prague Budapest Bucharest
Sofia Ottawa Mexico Havana Caracas Bogota Lima Santiago Buenos-Aires Montevideo Rio-de-Janeiro Brasilia
Tokyo Seoul Taipei Hong-Kong Saigon Vientiane Phnom-Penh Bangkok Rangoon Djakarta Manila Canberra Wellington
New-Delhi Karachi Kabul Tehran Baghdad Damascus Beirut Amman Jerusalem Tel-Aviv Cairo Tripoli Tunis Algiers
Rabat Khartoum Addis-Ababa Nairobi Leopoldville Lagos Accra Dakar Conakry Salisbury Pretoria Dar-es-Salaam
Nicosia Valletta Reykjavik Dublin Panama Guatemala Tegucigalpa Managua San-Jose Santo-Domingo""".split()
ORGANISATIONS = (
    ("department-of-state", "Department of State", ""),
    ("executive-secretariat", "Executive Secretariat", "S/S"),
    ("bureau-of-european-affairs", "Bureau of European Affairs", "EUR"),
    ("bureau-of-far-eastern-affairs", "Bureau of Far Eastern Affairs", "FE"),
    ("bureau-of-near-eastern-affairs", "Bureau of Near Eastern and South Asian Affairs", "NEA"),
    ("bureau-of-african-affairs", "Bureau of African Affairs", "AF"),
    ("bureau-of-inter-american-affairs", "Bureau of Inter-American Affairs", "ARA"),
    ("bureau-of-intelligence-and-research", "Bureau of Intelligence and Research", "INR"),
    ("bureau-of-economic-affairs", "Bureau of Economic Affairs", "E"),
    ("policy-planning-council", "Policy Planning Council", "S/P"),
    ("office-of-the-legal-adviser", "Office of the Legal Adviser", "L"),
    ("national-security-council", "National Security Council", "NSC"),
    ("central-intelligence-agency", "Central Intelligence Agency", "CIA"),
    ("department-of-defense", "Department of Defense", "DOD"),
    ("joint-chiefs-of-staff", "Joint Chiefs of Staff", "JCS"),
    ("agency-for-international-development", "Agency for International Development", "AID"),
    ("united-states-information-agency", "United States Information Agency", "USIA"),
    ("arms-control-and-disarmament-agency", "Arms Control and Disarmament Agency", "ACDA"),
    ("department-of-the-treasury", "Department of the Treasury", "Treasury"),
    ("department-of-agriculture", "Department of Agriculture", "USDA"),
    ("nato", "North Atlantic Treaty Organization", "NATO"),
    ("north-atlantic-council", "North Atlantic Council", "NAC"),
    ("united-nations", "United Nations", "UN"),
    ("un-security-council", "United Nations Security Council", "UNSC"),
    ("european-economic-community", "European Economic Community", "EEC"),
    ("organization-of-american-states", "Organization of American States", "OAS"),
    ("seato", "Southeast Asia Treaty Organization", "SEATO"),
    ("cento", "Central Treaty Organization", "CENTO"),
    ("oecd", "Organisation for Economic Co-operation and Development", "OECD"),
    ("international-monetary-fund", "International Monetary Fund", "IMF"),
    ("world-bank", "International Bank for Reconstruction and Development", "IBRD"),
    ("gatt", "General Agreement on Tariffs and Trade", "GATT"),
    ("warsaw-pact", "Warsaw Treaty Organization", "Warsaw Pact"),
    ("rm-r", "Division of Records Management", "RM/R"),
    ("historical-office", "Historical Office", "HO"),
)
TERMS = (
    ("secto", "SECTO", "Telegrams from the Secretary of State while away from Washington."),
    ("tosec", "TOSEC", "Telegrams to the Secretary of State while away from Washington."),
    ("deptel", "DEPTEL", "A Department of State telegram."),
    ("embtel", "EMBTEL", "An Embassy telegram."),
    ("reftel", "REFTEL", "The telegram referred to."),
    ("cirtel", "CIRTEL", "A circular telegram."),
    ("niact", "NIACT", "Night action: to be acted on at any hour."),
    ("limdis", "LIMDIS", "Limited distribution."),
    ("exdis", "EXDIS", "Exclusive distribution."),
    ("nodis", "NODIS", "No distribution beyond the addressee."),
    ("emboff", "EMBOFF", "An Embassy officer."),
    ("septel", "SEPTEL", "A separate telegram."),
    ("polad", "POLAD", "Political adviser."),
    ("fonmin", "FONMIN", "Foreign Minister or Foreign Ministry."),
    ("gov", "GOV", "Government."),
    ("usg", "USG", "United States Government."),
    ("ussr", "USSR", "Union of Soviet Socialist Republics."),
    ("frg", "FRG", "Federal Republic of Germany."),
    ("gdr", "GDR", "German Democratic Republic."),
    ("prc", "PRC", "People's Republic of China."),
    ("unga", "UNGA", "United Nations General Assembly."),
    ("mlf", "MLF", "Multilateral Force."),
    ("icbm", "ICBM", "Intercontinental ballistic missile."),
    ("mrbm", "MRBM", "Medium-range ballistic missile."),
    ("salt", "SALT", "Strategic Arms Limitation Talks."),
    ("mbfr", "MBFR", "Mutual and Balanced Force Reductions."),
    ("csce", "CSCE", "Conference on Security and Cooperation in Europe."),
    ("pl-480", "PL 480", "Public Law 480, the Food for Peace program."),
    ("dcm", "DCM", "Deputy Chief of Mission."),
    ("chicom", "CHICOM", "Chinese Communist."),
)
CLASSIFICATIONS = (("top-secret", "Top Secret", 8), ("secret", "Secret", 40), ("confidential", "Confidential", 30),
                   ("limited-official-use", "Limited Official Use", 7), ("unclassified", "Unclassified", 15))
PRECEDENCES = (("flash", "Flash", 1), ("niact", "Niact", 4), ("operational-immediate", "Operational Immediate", 10),
               ("priority", "Priority", 35), ("routine", "Routine", 50))
DISTRIBUTIONS = (("limit-distribution", "Limit Distribution", 25), ("eyes-only", "Eyes Only", 5),
                 ("official-informal", "Official-Informal", 5), ("none", "None", 65))
# Text withheld inside a paragraph is mostly whole lines; whole paragraphs are withheld apart.
GAP_UNITS = ("word", "line", "line", "line")


def generate(target: Path, n: int, seed: int = 0) -> None:
    """Write an edition of n synthetic documents, its registers and its settings into the folder target."""
    registers = Registers.make(random.Random(f"registers:{seed}"))
    texts = target / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    (target / "edition.toml").write_text(_settings(n, seed), encoding="utf-8")
    (texts / "registers.xml").write_text(registers.tei(), encoding="utf-8")
    folders: set[Path] = set()
    for index in range(1, n + 1):
        document = Draft(registers, random.Random(f"document:{seed}:{index}"), index, n)
        folder = texts / str(document.day.year)
        if folder not in folders:
            folder.mkdir(exist_ok=True)
            folders.add(folder)
        (folder / f"{document.id}.xml").write_text(document.tei(), encoding="utf-8")


def _settings(n: int, seed: int) -> str:
    return (f'title = "A synthetic edition of {n:,} State Department documents (seed {seed})"\n'
            'subtitle = "Generated by benchmarks/synthetic.py for the benchmarks; not real records"\n'
            'publisher = "The edition project"\n'
            'texts = ["texts/*.xml", "texts/*/*.xml"]\n')


def sample_words(quantiles: tuple[tuple[int, int], ...], rng: random.Random) -> int:
    """A count of words drawn from an empirical distribution given as (percentile, words), interpolated."""
    percent = rng.random() * 100
    upper = next(i for i, (p, _) in enumerate(quantiles) if p >= percent) or 1
    (p0, w0), (p1, w1) = quantiles[upper - 1], quantiles[upper]
    return max(1, round(w0 + (w1 - w0) * (percent - p0) / (p1 - p0)))


@dataclass(frozen=True)
class Entry:
    """One register entry as a document names it: its id and the words it is called by in the text."""

    id: str
    name: str
    short: str


@dataclass
class Registers:
    """The people, places, organisations and glossary terms of the edition, with how often each is named:
    a few entries are named very often (as Rusk or Moscow are in FRUS), most rarely."""

    people: list[Entry]
    places: list[Entry]
    organisations: list[Entry]
    terms: list[Entry]
    offices: dict[str, str]
    weights: dict[str, list[float]] = field(init=False)

    def __post_init__(self) -> None:
        # Cumulative Zipf-like weights by rank, for random.choices: the first entries are named most.
        self.weights = {kind: list(itertools.accumulate(1 / rank ** 0.9 for rank in range(1, len(entries) + 1)))
                        for kind, entries in (("people", self.people), ("places", self.places),
                                              ("organisations", self.organisations), ("terms", self.terms))}

    @classmethod
    def make(cls, rng: random.Random) -> Registers:
        """Invented people, and real places, offices and cable terms, in a fixed order for the seed."""
        names = list(itertools.product(FORENAMES, SURNAMES))
        people = [Entry(f"person-{surname.lower()}-{number}", f"{forename} {surname}", surname)
                  for number, (forename, surname) in enumerate(rng.sample(names, 300), 1)]
        places = [Entry(f"place-{slug.lower()}", slug.replace("-", " "), slug.replace("-", " ")) for slug in PLACES]
        organisations = [Entry(f"org-{slug}", name, short or name) for slug, name, short in ORGANISATIONS]
        terms = [Entry(f"term-{slug}", gloss, label) for slug, label, gloss in TERMS]
        offices = {person.id: rng.choice(OFFICES) for person in people}
        return cls(people, places, organisations, terms, offices)

    def pick(self, kind: str, rng: random.Random) -> Entry:
        """An entry of one register, the often named ones more likely."""
        return rng.choices(getattr(self, kind), cum_weights=self.weights[kind])[0]

    def tei(self) -> str:
        """The registers file, in the form of the bundled texts/registers.xml."""
        return "".join((_REGISTERS_HEADER, _taxonomies(), "      </classDecl>\n    </encodingDesc>\n",
                        "  </teiHeader>\n  <standOff>\n", self._people(), self._places(), self._organisations(),
                        self._glossary(), "  </standOff>\n</TEI>\n"))

    def _people(self) -> str:
        rows = [f'      <person xml:id="{p.id}">\n        <persName><forename>{p.name.split()[0]}</forename> '
                f'<surname>{p.short}</surname></persName>\n'
                f'        <birth when="{1900 + sum(map(ord, p.id)) % 30}"/>\n'
                f'        <occupation>{self.offices[p.id]}</occupation>\n'
                f'        <note>An invented person of the synthetic edition.</note>\n      </person>\n'
                for p in self.people]
        return "    <listPerson>\n" + "".join(rows) + "    </listPerson>\n"

    def _places(self) -> str:
        rows = [f'      <place xml:id="{p.id}">\n        <placeName>{p.name}</placeName>\n'
                f'        <note>A city named in the synthetic documents.</note>\n      </place>\n'
                for p in self.places]
        return "    <listPlace>\n" + "".join(rows) + "    </listPlace>\n"

    def _organisations(self) -> str:
        rows = []
        for org in self.organisations:
            abbreviation = (f'        <orgName type="abbreviation">{org.short}</orgName>\n'
                            if org.short != org.name else "")
            rows.append(f'      <org xml:id="{org.id}">\n        <orgName>{org.name}</orgName>\n{abbreviation}'
                        f'        <note>An office or organisation named in the synthetic documents.</note>\n'
                        f'      </org>\n')
        return "    <listOrg>\n" + "".join(rows) + "    </listOrg>\n"

    def _glossary(self) -> str:
        rows = [f'      <label>{t.short}</label>\n      <item xml:id="{t.id}">{t.name}</item>\n' for t in self.terms]
        return ('    <list type="gloss" xml:id="glossary">\n      <head>Glossary</head>\n' + "".join(rows)
                + "    </list>\n")


_REGISTERS_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">Registers of the synthetic edition</title>
        <respStmt xml:id="registers-resp-edition">
          <resp>Generation of the registers for the benchmarks</resp>
          <name>benchmarks/synthetic.py</name>
        </respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>The edition project</publisher>
        <availability>
          <licence target="https://creativecommons.org/publicdomain/zero/1.0/">Generated test material,
            dedicated to the public domain (CC0 1.0).</licence>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <p>Generated for the benchmarks: the people are invented; places, offices and cable terms are real
          names used only as words.</p>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <classDecl>
"""


def _taxonomies() -> str:
    schemes = (("classification", CLASSIFICATIONS), ("precedence", PRECEDENCES), ("distribution", DISTRIBUTIONS))
    parts = []
    for scheme, categories in schemes:
        rows = "".join(f'          <category xml:id="{scheme}-{slug}">\n            <catDesc>{label}</catDesc>\n'
                       f'          </category>\n' for slug, label, _ in categories)
        parts.append(f'        <taxonomy xml:id="{scheme}">\n{rows}        </taxonomy>\n')
    return "".join(parts)


def _weighted(choices: tuple[tuple[str, str, int], ...], rng: random.Random) -> tuple[str, str, int]:
    return rng.choices(choices, weights=[weight for _, _, weight in choices])[0]


class Draft:
    """One synthetic document being written: a telegram (two in three) or a memorandum of conversation."""

    def __init__(self, registers: Registers, rng: random.Random, index: int, n: int) -> None:
        self.registers, self.rng = registers, rng
        self.telegram = rng.random() < 2 / 3
        self.id = f"{'telegram' if self.telegram else 'memcon'}-{index:06d}"
        # Documents are spread evenly over the years in the order of their numbers, so the chronology of
        # the edition follows the ids and each year's folder gets its share.
        span = (LAST_DAY - FIRST_DAY).days
        self.day = FIRST_DAY + timedelta(days=int((index - 1 + rng.random()) * span / n))
        self.words = sample_words(DOCUMENT_WORDS, rng)
        self.classification = _weighted(CLASSIFICATIONS, rng)
        self.precedence = _weighted(PRECEDENCES, rng)
        self.distribution = _weighted(DISTRIBUTIONS, rng)
        self.place = registers.pick("places", rng)
        while self.telegram and self.place.id == "place-washington":  # telegrams come from embassies abroad
            self.place = registers.pick("places", rng)
        self.sender = registers.pick("people", rng)
        self.number = rng.randint(1, 2999)
        self.declassified = self.day + timedelta(days=rng.randint(9000, 18000))
        self.withholding = self.classification[0] != "unclassified" and rng.random() < 0.3
        self.counters = {"p": 0, "n": 0, "s": 0, "page": 1}
        self.written = 0
        self.next_page = rng.randint(*PAGE_WORDS)

    def tei(self) -> str:
        """The whole TEI file of the document."""
        body = self._paragraphs()
        return "".join((f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" '
                        f'xml:id="{self.id}" xml:lang="en">\n', self._header(), "  <text>\n", self._front(),
                        "    <body>\n", self._opener(), body, self._closer(), "    </body>\n  </text>\n</TEI>\n"))

    # -- the header

    @property
    def title(self) -> str:
        when = self._long_date(self.day)
        if self.telegram:
            return (f"Telegram From the Embassy in {self.place.name} to the Department of State "
                    f"({self.place.name} {self.number}), {when}")
        return f"Memorandum of Conversation, {self.place.name}, {when}"

    def _header(self) -> str:
        d, form = self.id, "telegram" if self.telegram else "memorandum"
        classification, precedence, distribution = self.classification, self.precedence, self.distribution
        sent = f'<date when="{self.day.isoformat()}">{self._long_date(self.day)}</date>'
        return f"""  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">{self.title} (synthetic document)</title>
        <respStmt xml:id="{d}-resp-edition">
          <resp>Generation of the document for the benchmarks</resp>
          <name>benchmarks/synthetic.py</name>
        </respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>The edition project</publisher>
        <idno type="document">{d}</idno>
        <availability>
          <licence target="https://creativecommons.org/publicdomain/zero/1.0/">Generated test material,
            dedicated to the public domain (CC0 1.0).</licence>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <msDesc>
          <msIdentifier>
            <repository>None: synthetic document (no archival original)</repository>
            <collection>Synthetic documents of the benchmarks</collection>
            <idno>SYNTHETIC {d}</idno>
          </msIdentifier>
          <msContents>
            <summary>{self._sentences(self.rng.randint(20, 40), upper=False)}</summary>
          </msContents>
          <physDesc>
            <objectDesc form="{form}">
              <supportDesc>
                <support>
                  <p>Generated {form}, typed on the Department's printed form.</p>
                </support>
              </supportDesc>
            </objectDesc>
            <handDesc hands="1">
              <handNote xml:id="{d}-hand-reviewer" scope="minor">The reviewer who filled in the
                declassification stamp.</handNote>
            </handDesc>
          </physDesc>
          <history>
            <origin>
              <p>Sent from {self.place.name} on {sent}.</p>
            </origin>
          </history>
          <additional>
            <adminInfo>
              <custodialHist>
                <custEvent type="declassification" when="{self.declassified.isoformat()}">Declassified
                  {"in part" if self.withholding else "in full"}.</custEvent>
              </custodialHist>
            </adminInfo>
          </additional>
        </msDesc>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <projectDesc>
        <p>A synthetic document generated for the edition's benchmarks; not a real record.</p>
      </projectDesc>
    </encodingDesc>
    <profileDesc>
      <creation>
        {sent}
      </creation>
      <langUsage>
        <language ident="en">English</language>
      </langUsage>
      <correspDesc>
        <correspAction type="sent">
          <persName ref="#{self.sender.id}">{self.sender.name}</persName>
          <placeName ref="#{self.place.id}">{self.place.name}</placeName>
          {sent}
        </correspAction>
        <correspAction type="received">
          <orgName ref="#org-department-of-state">Department of State</orgName>
          <placeName ref="#place-washington">Washington</placeName>
        </correspAction>
      </correspDesc>
      <textClass>
        <keywords scheme="#classification">
          <term ref="#classification-{classification[0]}">{classification[1]}</term>
        </keywords>
        <keywords scheme="#precedence">
          <term ref="#precedence-{precedence[0]}">{precedence[1]}</term>
        </keywords>
        <keywords scheme="#distribution">
          <term ref="#distribution-{distribution[0]}">{distribution[1]}</term>
        </keywords>
      </textClass>
    </profileDesc>
    <revisionDesc>
      <change when="2026-11-24" who="#{d}-resp-edition">Generated.</change>
    </revisionDesc>
  </teiHeader>
"""

    # -- the text: form, opener, paragraphs, closer

    def _front(self) -> str:
        heading = "INCOMING TELEGRAM" if self.telegram else "MEMORANDUM OF CONVERSATION"
        received = self.day + timedelta(days=self.rng.randint(0, 2))
        return (f'    <front>\n      <pb n="1"/>\n      <ab type="form">\n        <fw type="form">{heading}</fw>\n'
                f'        <lb/><fw type="form"><orgName ref="#org-department-of-state">Department of State</orgName>'
                f'</fw>\n        <lb/>{self._classification_line("top")}\n'
                f'        <lb/><stamp type="received" when="{received.isoformat()}" xml:id="{self._next("s")}">'
                f'<fw type="form">Control:</fw> {self.rng.randint(1000, 99999)} <lb/><fw type="form">Rec\'d:</fw> '
                f'<date when="{received.isoformat()}">{self._long_date(received).upper()}</date></stamp>\n'
                f'      </ab>\n    </front>\n')

    def _opener(self) -> str:
        date_ = f'<date when="{self.day.isoformat()}">{self._long_date(self.day).upper()}</date>'
        if self.telegram:
            return (f'      <opener>\n        <lb/>FROM {self._mention(self.place, "placeName")}\n'
                    f'        <lb/>TO: <rs type="org" ref="#org-department-of-state">Secretary of State</rs>\n'
                    f'        <lb/>NO: {self.number}, {date_}\n        <lb/>{self.precedence[1].upper()}\n'
                    f'      </opener>\n')
        people = (self.registers.pick("people", self.rng) for _ in range(self.rng.randint(2, 5)))
        participants = "".join(f'\n        <lb/>{self._mention(person, "persName")}' for person in people)
        return (f'      <opener>\n        <dateline><fw type="form">DATE:</fw> {date_}</dateline>\n'
                f'        <lb/><fw type="form">SUBJECT:</fw> {self._sentences(self.rng.randint(3, 8), False)}\n'
                f'        <lb/><fw type="form">PARTICIPANTS:</fw>{participants}\n      </opener>\n')

    def _closer(self) -> str:
        reviewer = f"#{self.id}-hand-reviewer"
        extent = "IN PART" if self.withholding else ""
        return (f'      <closer>\n        <signed>{self._mention(self.sender, "persName")}</signed>\n'
                f'        <lb/><stamp type="declassified" when="{self.declassified.isoformat()}" '
                f'xml:id="{self._next("s")}">DECLASSIFIED {extent}\n'
                f'          <lb/>By <add hand="{reviewer}">{self.rng.choice("ABCDEFGHJKLMNPRSTW") * 2}</add> Date '
                f'<add hand="{reviewer}"><date when="{self.declassified.isoformat()}">'
                f'{self.declassified:%m/%d/%y}</date></add></stamp>\n'
                f'        <lb/>{self._classification_line("bottom")}\n      </closer>\n')

    def _paragraphs(self) -> str:
        # The form, opener and closer hold about 40 words; notes take their share of the rest.
        budget = max(5, self.words - 40)
        notes = [max(1, min(sample_words(NOTE_WORDS, self.rng), budget // 3))
                 for _ in range(1 + round(self.words / WORDS_PER_NOTE * 2 * self.rng.random()))]
        budget = max(5, budget - sum(notes))
        paragraphs = []
        while budget > 0:
            size = min(budget, sample_words(PARAGRAPH_WORDS, self.rng))
            paragraphs.append(self._paragraph(size))
            budget -= size
        # Notes are numbered in the order they stand in, as `edition ids` would number them.
        spots = sorted((p, self.rng.randrange(len(paragraphs[p])))
                       for p in (self.rng.randrange(len(paragraphs)) for _ in notes))
        for (p, position), size in zip(spots, notes):
            paragraphs[p][position] += self._note(size)
        return "".join(f'      <p xml:id="{self._next("p")}">{" ".join(words)}</p>\n' for words in paragraphs)

    def _paragraph(self, size: int) -> list[str]:
        if self.withholding and self.rng.random() < 0.04:
            return ['<gap reason="notDeclassified" quantity="1" unit="paragraph"/>']
        words = self._prose(size, self.telegram)
        for position in self.rng.sample(range(size), size // WORDS_PER_MENTION):
            self._mark(words, position)
        if self.withholding and self.rng.random() < 0.2:
            words[self.rng.randrange(size)] += " " + self._withheld()
        if self.rng.random() < 0.02:
            words[self.rng.randrange(size)] += ' <gap reason="illegible" quantity="1" unit="word"/>'
        if self.telegram and self.rng.random() < 0.1:
            words[self.rng.randrange(size)] += " NOT <choice><abbr>RPT</abbr><expan>repeat</expan></choice> NOT"
        self._break_pages(words)
        return words

    def _mark(self, words: list[str], position: int) -> None:
        """Replace one word by a name, a term, a date or an emphasis, keeping its full stop."""
        word = words[position]
        stop = "." if word.endswith(".") else ""
        kind = self.rng.random()
        if kind < 0.4:
            marked = self._mention(self.registers.pick("people", self.rng), "persName")
        elif kind < 0.7:
            marked = self._mention(self.registers.pick("places", self.rng), "placeName")
        elif kind < 0.82:
            marked = self._mention(self.registers.pick("organisations", self.rng), "orgName")
        elif kind < 0.9:
            term = self.registers.pick("terms", self.rng)
            marked = f'<rs type="term" ref="#{term.id}">{term.short}</rs>'
        elif kind < 0.96:
            day = self.day - timedelta(days=self.rng.randint(0, 60))
            text = f"{MONTHS[day.month - 1]} {day.day}"
            marked = f'<date when="{day.isoformat()}">{text.upper() if self.telegram else text}</date>'
        else:
            marked = f'<hi rend="underline">{word.rstrip(".")}</hi>'
        words[position] = marked + stop

    def _mention(self, entry: Entry, element: str) -> str:
        text = entry.short if element != "orgName" or self.telegram else entry.name
        return f'<{element} ref="#{entry.id}">{text.upper() if self.telegram else text}</{element}>'

    def _withheld(self) -> str:
        unit = self.rng.choice(GAP_UNITS)
        quantity = self.rng.randint(1, 6)
        plural = "s" if quantity > 1 else ""
        return (f'<gap reason="notDeclassified" quantity="{quantity}" unit="{unit}">'
                f'<desc>[{quantity} {unit}{plural} not declassified]</desc></gap>')

    def _note(self, size: int) -> str:
        return (f'<note type="editorial" xml:id="{self._next("n")}">'
                f'{self._sentences(size, upper=False)}</note>')

    def _break_pages(self, words: list[str]) -> None:
        """Put a page break, with the classification lines and running head, where a typed page fills up."""
        end = self.written + len(words)
        while self.next_page < end:
            self.counters["page"] += 1
            page = self.counters["page"]
            words[self.next_page - self.written - 1] += (
                f' {self._classification_line("bottom")} <pb n="{page}"/> {self._classification_line("top")} '
                f'<fw type="head" place="top">-{page}-</fw>')
            self.next_page += self.rng.randint(*PAGE_WORDS)
        self.written = end

    def _classification_line(self, place: str) -> str:
        return f'<fw type="classification" place="{place}">{self.classification[1].upper()}</fw>'

    # -- words

    def _prose(self, size: int, upper: bool) -> list[str]:
        """Words of running text, in sentences of 8 to 24 words; telegrams in capitals."""
        words = self.rng.choices(VOCABULARY_UPPER if upper else VOCABULARY, k=size)
        start = 0
        while start < size:
            end = min(size, start + self.rng.randint(8, 24))
            if not upper:
                words[start] = words[start].capitalize()
            words[end - 1] += "."
            start = end
        return words

    def _sentences(self, size: int, upper: bool) -> str:
        return " ".join(self._prose(size, upper))

    def _next(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{self.id}-{kind}{self.counters[kind]}"

    @staticmethod
    def _long_date(day: date) -> str:
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic edition of N State Department documents.")
    parser.add_argument("folder", type=Path, help="the edition folder to write (created if missing)")
    parser.add_argument("n", type=int, help="how many documents")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same edition")
    arguments = parser.parse_args()
    generate(arguments.folder, arguments.n, arguments.seed)


if __name__ == "__main__":
    main()
