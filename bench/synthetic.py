"""Made-up but plausible content for the benchmark data: names, titles, quotes and grades.

Plain functions over a seeded `random.Random`: the same seed gives the same words. Nothing
here touches the database.
"""

import itertools
import random
from dataclasses import dataclass

COMPANIES = [
    "Kestrel Aerotech", "Volga Dynamics", "Baltic Rotorworks", "Harbin Skyline", "Ural Avionics",
    "Shenzhen Lumen Motors", "Caspian Drone Systems", "Novaya Optics", "Amur Composites", "Tianjin Microdrive",
    "Perm Propulsion", "Orel Navigation", "Zhejiang Flightcore", "Kama Sensorics", "Nizhny Airframes",
    "Yantai Batteries", "Samara Telemetry", "Xiamen Servo", "Irkutsk Gyro", "Dalian Carbon Works",
    "Tula Payloads", "Qingdao Radio", "Kazan Unmanned", "Chengdu Antenna", "Omsk Rotor", "Wuhan Thermal",
    "Saratov Engines", "Ningbo Magnetics", "Tomsk Optronics", "Suzhou Precision",
]
ITEMS = ["drone engines", "flight controllers", "thermal cameras", "carbon-fibre frames", "lithium cells",
         "radio modules", "servo motors", "navigation boards", "propellers", "antenna arrays"]
BUYERS = ["Alabuga", "the Russian defence ministry", "a Moscow trading house", "a Belarusian assembler",
          "a Kazakh intermediary", "state arsenals", "a Dubai distributor", "a Kyrgyz reseller"]
CITIES = ["Yelabuga", "Izhevsk", "Shenzhen", "Minsk", "Almaty", "Bishkek", "Tianjin", "Kazan", "Zürich", "Tallinn"]
FIRST_NAMES = ["Anna", "Wang", "Olga", "Li", "Sergei", "Marta", "Jonas", "Mei", "Dmitri", "Katarzyna", "Jürgen",
               "Elena", "Chen", "Pavel", "Ingrid", "Zhou", "Irina", "Tomás", "Ayşe", "Nikolai"]
LAST_NAMES = ["Kowalczyk", "Dinghua", "Petrova", "Hartmann", "Zhang", "Sokolov", "Lindqvist", "Novak", "Tchakarova",
              "Müller", "Ivanova", "Liu", "Kuznetsov", "Okafor", "Yilmaz", "Berg", "Romanova", "Sato", "Haddad",
              "Fischer"]
OUTLET_WORDS = ["Ledger", "Courier", "Monitor", "Observer", "Review", "Post", "Telegraph", "Chronicle", "Herald",
                "Dispatch", "Gazette", "Insider", "Wire", "Journal", "Bulletin"]
PLACES = ["Baltic", "Northern", "Eastern", "Pacific", "Danube", "Caucasus", "Steppe", "Arctic", "Silk Road",
          "Central", "Harbour", "Continental", "Amber", "Meridian", "Frontier"]
INSTITUTES = ["Institute for Security Studies", "Centre for Strategic Analysis", "Defence Research Council",
              "Sanctions Observatory", "Supply Chain Lab", "Export Control Forum"]
AGENCIES = ["Customs Service", "Ministry of Finance", "Trade Registry", "Export Control Office", "Tax Authority"]
FILLER = [
    "The company did not respond to a request for comment.",
    "Customs records reviewed for this article cover the first half of the year.",
    "Analysts caution that the figures may be incomplete.",
    "Several of the shipments were routed through third countries.",
    "The registry entries were amended weeks later.",
    "Officials declined to discuss individual companies.",
    "Independent experts could not verify the totals.",
    "Satellite images show new buildings at the site.",
]
RELIABILITY_WEIGHTS = {"A": 2, "B": 30, "C": 35, "D": 15, "E": 5, "F": 13}
CREDIBILITY_WEIGHTS = {1: 1, 2: 25, 3: 35, 4: 15, 5: 6, 6: 18}
KIND_WEIGHTS = {"news_outlet": 45, "analyst": 20, "think_tank": 12, "research_firm": 8, "government": 8,
                "official_record": 4, "other": 3}
LINK_TYPE_WEIGHTS = {"supports": 50, "qualifies": 20, "contradicts": 15, "same_assertion": 15}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


_CUMULATIVE: dict[int, tuple[list, list[float]]] = {}


def weighted(rng: random.Random, weights: dict) -> object:
    """One key of `weights`, drawn in proportion to its weight."""
    keys, cumulative = _CUMULATIVE.get(id(weights)) or _CUMULATIVE.setdefault(
        id(weights), (list(weights), list(itertools.accumulate(weights.values()))))
    return rng.choices(keys, cum_weights=cumulative)[0]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def source_name(rng: random.Random, kind: str) -> str:
    if kind == "news_outlet":
        return f"The {rng.choice(PLACES)} {rng.choice(OUTLET_WORDS)}"
    if kind == "analyst":
        return person(rng)
    if kind in {"think_tank", "research_firm"}:
        return f"{rng.choice(PLACES)} {rng.choice(INSTITUTES)}"
    if kind in {"government", "official_record"}:
        return f"{rng.choice(PLACES)} {rng.choice(AGENCIES)}"
    return f"{rng.choice(COMPANIES)} press office"


def reliability_rationale(rng: random.Random, grade: str) -> str:
    return rng.choice([
        f"Graded {grade}: a record of accurate reporting on sanctions and defence supply chains, with corrections "
        "published when it erred.",
        f"Graded {grade}: relies on leaked documents it does not always publish; past claims were partly confirmed.",
        f"Graded {grade}: an official body whose figures are consistent over time but selectively released.",
        f"Graded {grade}: an interested party speaking for itself; statements are checked against records.",
    ])


def document_title(rng: random.Random) -> str:
    return rng.choice([
        f"How {rng.choice(ITEMS)} from {rng.choice(CITIES)} reach Russia's drone factories",
        f"{rng.choice(COMPANIES)} and the sanctions gap",
        f"Inside the supply chain of {rng.choice(BUYERS)}",
        f"Records show {rng.choice(COMPANIES)} expanded exports in wartime",
        f"The middlemen behind {rng.choice(ITEMS)} shipments to {rng.choice(CITIES)}",
    ])


@dataclass(frozen=True)
class Statement:
    text: str  # the assertion in plain words
    quote: str  # the sentence of the document, verbatim
    rationale: str
    credibility: int


def statement(rng: random.Random, *, claimant: str, year: int) -> Statement:
    company, item, buyer, city = rng.choice(COMPANIES), rng.choice(ITEMS), rng.choice(BUYERS), rng.choice(CITIES)
    n, amount, pct = rng.randint(2, 90) * 100, rng.randint(3, 480), rng.randint(2, 49)
    month = rng.choice(MONTHS)
    credibility = weighted(rng, CREDIBILITY_WEIGHTS)
    text, quote = rng.choice([
        (f"{company} delivered {n} {item} to {buyer} in {year}.",
         f"{company} delivered {n} {item} to {buyer} between {month} and December {year}, according to "
         "customs filings"),
        (f"{company} earned ${amount} million from sales to Russia in {year}.",
         f"{company}'s sales to Russian buyers reached ${amount}M in {year}"),
        (f"{person(rng)} holds a {pct}% stake in {company}.",
         f"registry records list a {pct}% stake in {company} held through a company in {city}"),
        (f"{company} denies supplying {item} to {buyer}.",
         f"{company} said it has never supplied {item} to {buyer} and follows all export rules"),
        (f"{company} opened a plant in {city} able to assemble {n} {item} a month.",
         f"the new plant in {city} can assemble up to {n} {item} a month, {company} told investors"),
    ])
    if credibility == 6:
        rationale = f"A judgement by {claimant}, not a statement of fact: graded 6 under the written method."
    else:
        rationale = rng.choice([
            f"Customs filings for {year} show shipments of {item} by {company}; the amounts match within 10%.",
            f"Only {claimant} reports this; the company's own filings neither confirm nor deny it.",
            f"Consistent with registry extracts and with two earlier reports on {company}'s buyers.",
            f"The figure rests on documents {claimant} describes but has not published.",
        ])
    return Statement(text=text, quote=quote, rationale=rationale, credibility=credibility)


def filler(rng: random.Random) -> str:
    return rng.choice(FILLER)
