"""The simulator's pools (eval/simulation/*.yml) and the citizens drawn from them."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import yaml

POOL_DIR = Path(__file__).resolve().parent
REQUEST_TYPES = ("consult", "seek_help", "complain", "report", "suggest")
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
ROUTES = ("litigation", "petition", "discipline", "other_organs", "info_disclosure", "secrets",
          "jurisdiction", "unlawful")
# Smallest pools the brief asks for; tests/test_simulation_data.py holds the files to them.
MINIMUM_SIZES = {"openings_per_type": 30, "letters": 40, "emergencies": 40, "not_accepted": 40,
                 "kb_questions": 80, "innocuous": 10}
_SPOKEN = dict(zip("0123456789", "零幺二三四五六七八九"))
_MOBILE_PREFIXES = ("130", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                    "157", "158", "159", "166", "173", "176", "177", "180", "181", "186", "187",
                    "188", "189", "191", "198", "199")


def load(name: str, directory: Optional[Path] = None) -> dict:
    with open(Path(directory or POOL_DIR) / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class Pools:
    openings: Dict[str, List[dict]]
    facts: Dict[str, List[str]]
    letters: List[dict]
    emergencies: List[dict]
    innocuous: List[dict]
    not_accepted: List[dict]
    kb_questions: List[dict]

    @classmethod
    def load(cls, directory: Optional[Path] = None) -> "Pools":
        """The pools in directory (default: this package's folder, eval/simulation)."""
        citizens, screening = load("citizens.yml", directory), load("screening.yml", directory)
        return cls(citizens["openings"], citizens["facts"], load("letters.yml", directory)["letters"],
                   screening["emergencies"], screening["innocuous"], screening["not_accepted"],
                   load("kb_questions.yml", directory)["questions"])

    def all_sentences(self) -> List[str]:
        """Every sentence a citizen may say, for the overlap check against the training data."""
        texts = [o["text"] for group in self.openings.values() for o in group]
        texts += [c["text"] for c in self.emergencies + self.innocuous + self.not_accepted + self.kb_questions]
        # Letters: the account itself; salutations and signatures (尊敬的县长：) are formulas every letter shares.
        texts += [line.strip() for letter in self.letters for line in letter["text"].splitlines()
                  if len(line.strip()) >= 15]
        texts += [v for key, values in self.facts.items() if key != "contact_phone" for v in values]
        return texts


def render_phone(template: str, digits: str) -> str:
    """A phone number the way this citizen writes or says it."""
    spoken = "".join(_SPOKEN[d] for d in digits)
    groups = (digits[:3], digits[3:7], digits[7:])
    return template.format(p=digits, p3=groups[0], p4a=groups[1], p4b=groups[2], spoken=spoken,
                           spoken_groups=" ".join("".join(_SPOKEN[d] for d in g) for g in groups))


def make_phone(rng: random.Random, serial: int) -> str:
    """A valid-looking mobile number; the serial (unique per citizen in a run) fills four digits,
    so no two citizens share a phone (one person's open ticket would swallow the other's)."""
    scrambled = (serial * 7919) % 10000   # 7919 is prime to 10000: still one number per serial
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10000):04d}" + f"{scrambled:04d}"


@dataclass
class Citizen:
    """One simulated person: what they say first and the facts they answer with."""
    group: str                      # openings, letters, emergencies, innocuous, not_accepted, kb
    index: int
    opening: str
    style: str
    request_type: Optional[str] = None        # the true request type (ticket citizens)
    numbers: List[str] = field(default_factory=list)   # emergencies: numbers expected
    route: Optional[str] = None               # not accepted: expected route
    kb_id: Optional[str] = None               # knowledge-base question: expected entry
    location: str = ""
    event_time: str = ""
    involved_party: str = ""
    contact_name: str = ""
    phone: str = ""
    phone_said: str = ""
    anonymous: bool = False
    rng: random.Random = field(default_factory=random.Random, repr=False)

    @property
    def in_danger(self) -> bool:
        return bool(self.numbers)


def _with_facts(citizen: Citizen, facts: Dict[str, List[str]], serial: int) -> Citizen:
    rng = citizen.rng
    citizen.location = rng.choice(facts["location"])
    citizen.event_time = rng.choice(facts["event_time"])
    citizen.involved_party = rng.choice(facts["involved_party"])
    citizen.contact_name = rng.choice(facts["contact_name"])
    citizen.phone = make_phone(rng, serial)
    citizen.phone_said = render_phone(rng.choice(facts["contact_phone"]), citizen.phone)
    citizen.anonymous = citizen.request_type == "report" and rng.random() < 0.5
    return citizen


def draw(pools: Pools, seed: int, salt: int = 0) -> Dict[str, List[Citizen]]:
    """Every citizen of a run, by group. Each has its own random stream (seed, group, index), so a
    citizen behaves the same whatever order the conversations run in."""
    groups: Dict[str, List[Citizen]] = {}
    serial = [salt]

    def citizen(group: str, index: int, **kwargs) -> Citizen:
        serial[0] += 1
        made = Citizen(group=group, index=index, rng=random.Random(f"{seed}:{group}:{index}"), **kwargs)
        return _with_facts(made, pools.facts, serial[0])

    openings = [(t, o) for t in REQUEST_TYPES for o in pools.openings[t]]
    groups["openings"] = [citizen("openings", i, opening=o["text"], style=o["style"], request_type=t)
                          for i, (t, o) in enumerate(openings)]
    groups["letters"] = [citizen("letters", i, opening=l["text"].strip(), style="letter", request_type=l["type"])
                         for i, l in enumerate(pools.letters)]
    groups["emergencies"] = [citizen("emergencies", i, opening=e["text"], style="emergency",
                                     numbers=[str(n) for n in e["numbers"]])
                             for i, e in enumerate(pools.emergencies)]
    groups["innocuous"] = [citizen("innocuous", i, opening=e["text"], style="innocuous", request_type=e["type"])
                           for i, e in enumerate(pools.innocuous)]
    groups["not_accepted"] = [citizen("not_accepted", i, opening=n["text"], style="not_accepted", route=n["route"])
                              for i, n in enumerate(pools.not_accepted)]
    groups["kb"] = [citizen("kb", i, opening=q["text"], style="kb", kb_id=q["id"])
                    for i, q in enumerate(pools.kb_questions)]
    return groups
