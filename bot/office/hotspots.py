"""Hotspots (热点): requests about the same matter at the same place, grouped and ranked.

How requests are grouped (find_hotspots):
  1. Place. Each ticket gets a place key (hotspot_places.py: the place fact, else a place in the
     text; 幸福里小区3号楼 = 幸福里小区 = 幸福里). Only tickets with the same key are compared.
     Two requests about one matter at two places are two matters for the office (two compounds'
     barbecue stalls are two stalls, handled by two street offices), so they are not merged.
     Tickets naming no specific place (or only a district or street) form one citywide pool: what
     they share is citywide by nature (an app that fails, a policy). That pool is held to a higher
     similarity and more citizens (citywide.*), since it lacks the place as a second witness.
  2. Matter. Each text, its place names blanked and cut to max_chars, is embedded with the
     project's sentence encoder (e5-small by default; hotspot_embeddings.py caches the rows), and
     the tickets of one place are clustered by average linkage (UPGMA) on cosine similarity, cut
     at a threshold: no number of clusters is needed, and unlike single linkage (connected
     components of the similarity graph) a chain of loosely related requests does not grow into
     one cluster — every member must be close to the cluster on average.
     The threshold is the period's typical similarity (the median cosine of random pairs of its
     texts) plus `margin`, never below `similarity`: e5's cosines sit high and close together, and
     how high depends on the texts (short form-like records of an old system all look alike to it,
     spoken complaints less), so a fixed cut right for one history merges different matters in
     another. Measured on the tests' written history: typical 0.86, one matter ≥ 0.91 (mean 0.93);
     on short templated records: typical 0.91, one matter mean 0.97, different matters p99 0.944.
  3. Size. A cluster counts when it has at least min_requests requests from min_citizens different
     citizens (contact phone, else the sender account): a one-off request, or one citizen calling
     again and again, is not a hotspot. Places with fewer requests or citizens than that are
     skipped before any encoding, which is most of the saving on a large history.

Ranking: the heat index of hotspot_heat.py (how many requests and citizens, how fast it grows, how
long it lasts), best first; a new, fast-growing hotspot carries an alert and its reason.

Each hotspot's title is its most central request (the medoid: highest mean similarity to the
others), personal data masked (bot/privacy.py) and cut to about 20 characters.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from sqlalchemy import select

from bot.office.hotspot_embeddings import CachedEncoder, Progress, make_cached_encoder
from bot.office.hotspot_heat import alert_of, burst_of, heat_of
from bot.office.hotspot_places import Place, PlaceReader, blank
from bot.office.hotspot_settings import HotspotSettings, hotspot_settings
from bot.privacy import mask_address, mask_name, mask_text
from bot.tickets import query
from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore

CITYWIDE = "全市（未指明具体地点）"
TITLE_LENGTH = 20
_OPENING = re.compile(r"^(?:(?:你好|您好|请问|麻烦|我想|我要|又来|再次|想|要)?(?:投诉|举报|反映|咨询|求助|问一下|问问)?"
                      r"(?:一下)?[，,：:\s]*)+")
_CLAUSE = re.compile(r"[，。！？；,.!?;]")


@dataclass
class Request:
    number: str
    text: str
    at: dt.datetime          # local time
    citizen: str
    place: Optional[Place]
    spans: list
    name: Optional[str]


@dataclass
class Hotspot:
    title: str
    place: str
    first: dt.datetime
    last: dt.datetime
    count: int
    citizens: int
    heat: float
    tickets: List[str]
    growth: float = 1.0
    recent: int = 0
    alert: bool = False
    reason: Optional[str] = None
    citywide: bool = False
    extra: Dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        return {"title": self.title, "place": self.place, "from": self.first.date().isoformat(),
                "to": self.last.date().isoformat(), "count": self.count, "citizens": self.citizens,
                "heat": self.heat, "tickets": list(self.tickets), "alert": self.alert, "reason": self.reason,
                "growth": self.growth, "recent": self.recent, "citywide": self.citywide}


def find_hotspots(store: TicketStore, start: dt.date, end: dt.date, settings: Optional[HotspotSettings] = None,
                  *, places: Optional[PlaceReader] = None, encoder: Optional[CachedEncoder] = None,
                  progress: Optional[Progress] = None, scope: Optional[str] = None,
                  now: Optional[dt.datetime] = None, details: Optional[Dict[str, Any]] = None) -> List[Hotspot]:
    """Hotspots among tickets opened from start to end (local dates, both inclusive), hottest first.
    scope: a department id (a handler sees its own department's tickets only). details, when given,
    is filled with what the run saw: tickets, clustered (in places large enough), thresholds."""
    details = {} if details is None else details
    settings = settings or hotspot_settings()
    places = places or PlaceReader.from_catalogue()
    requests = load_requests(store, start, end, places, scope)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=store.zone)
    until = min(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=store.zone),
                store.local_time(now or store.now()))
    groups = candidate_groups(requests, settings)
    details.update(tickets=len(requests), clustered=sum(len(g) for g in groups), thresholds=None)
    if not groups:
        return []
    encoder = encoder or make_cached_encoder(settings.encoder, settings.cache_dir)
    texts = [embedding_text(r, settings) for group in groups for r in group]
    matrix = encoder.encode(texts, progress)
    cuts = thresholds(matrix, settings)
    details["thresholds"] = cuts
    rows = iter(matrix)
    found = []
    for group in groups:
        vectors = np.stack([next(rows) for _ in group])
        found.extend(cluster_group(group, vectors, settings, (since, until), cuts))
    return sorted(found, key=lambda h: (-h.heat, -h.count, h.first))


@dataclass(frozen=True)
class Thresholds:
    typical: float       # median similarity of random pairs of the period's texts
    local: float
    citywide: float


def thresholds(vectors: np.ndarray, settings: HotspotSettings, pairs: int = 200_000) -> Thresholds:
    typical = typical_similarity(vectors, pairs)
    return Thresholds(round(typical, 4), max(settings.similarity, typical + settings.margin),
                      max(settings.citywide_similarity, typical + settings.citywide_margin))


def typical_similarity(vectors: np.ndarray, pairs: int = 200_000) -> float:
    """Median cosine of up to `pairs` random pairs (seeded: the same history gives the same answer)."""
    n = len(vectors)
    if n < 2:
        return 0.0
    rng = np.random.default_rng(12345)
    a, b = rng.integers(0, n, pairs), rng.integers(0, n, pairs)
    keep = a != b
    a, b = a[keep], b[keep]
    return float(np.median(np.einsum("ij,ij->i", vectors[a], vectors[b])))


def load_requests(store: TicketStore, start: dt.date, end: dt.date, places: PlaceReader,
                  scope: Optional[str] = None) -> List[Request]:
    wanted = query.TicketQuery(created_from=start, created_to=end, scope=scope)
    where = query.conditions(store, wanted, store.local_now())
    with store.sessions() as session:
        tickets = list(session.execute(select(Ticket).where(*where).order_by(Ticket.created_at, Ticket.id)).scalars())
    return [_request(store, t, places) for t in tickets]


def _request(store: TicketStore, ticket: Ticket, places: PlaceReader) -> Request:
    place, spans = places.of_ticket(ticket.text, ticket.facts)
    return Request(ticket.number, ticket.text, store.local_time(ticket.created_at), citizen_of(ticket),
                   place, spans, None if ticket.anonymous else ticket.contact_name)


def citizen_of(ticket: Ticket) -> str:
    """Who asked: an imported record's citizen id (the old system knew its callers), else the
    contact phone (one person on the phone, the web and WeChat), else the sender account."""
    sender = ticket.sender_id or ""
    if sender.startswith("import:") and not sender.startswith("import:row-"):
        return sender
    if ticket.contact_phone and not ticket.anonymous:
        return "phone:" + ticket.contact_phone
    return sender or ticket.number


def candidate_groups(requests: Sequence[Request], settings: HotspotSettings) -> List[List[Request]]:
    """Requests by place key (None: the citywide pool), only groups large enough to hold a hotspot."""
    by_place: Dict[Optional[str], List[Request]] = defaultdict(list)
    for request in requests:
        by_place[request.place.key if request.place else None].append(request)
    return [group for key, group in by_place.items() if _big_enough(group, settings, key is None)]


def _big_enough(group: Sequence[Request], settings: HotspotSettings, citywide: bool) -> bool:
    citizens = settings.citywide_min_citizens if citywide else settings.min_citizens
    return len(group) >= settings.min_requests and len({r.citizen for r in group}) >= citizens


def embedding_text(request: Request, settings: HotspotSettings) -> str:
    return mask_text(blank(request.text, request.spans))[:settings.max_chars] or request.text[:settings.max_chars]


def cluster_group(group: List[Request], vectors: np.ndarray, settings: HotspotSettings,
                  period: Tuple[dt.datetime, dt.datetime], cuts: Thresholds) -> List[Hotspot]:
    citywide = group[0].place is None
    threshold = cuts.citywide if citywide else cuts.local
    labels = average_linkage(vectors, threshold)
    found = []
    for label in set(labels):
        members = [i for i, l in enumerate(labels) if l == label]
        hotspot = _hotspot([group[i] for i in members], vectors[members], settings, period, citywide)
        if hotspot is not None:
            found.append(hotspot)
    return found


def _bursts(times: List[dt.datetime], since: dt.datetime, until: dt.datetime, settings: HotspotSettings) -> bool:
    """A citywide group has no place to witness that it is one matter happening somewhere, so it
    must at least flare up: a question asked all year round is the background, not a hotspot."""
    burst = burst_of(times, since, until, settings.citywide_burst_period)
    return burst is None or burst >= settings.citywide_min_burst


def average_linkage(vectors: np.ndarray, threshold: float) -> List[int]:
    """Cluster labels: UPGMA on cosine distance, cut where the mean similarity falls below threshold."""
    if len(vectors) < 2:
        return [0] * len(vectors)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist
    distances = np.clip(pdist(vectors.astype(np.float64), "cosine"), 0.0, 2.0)
    tree = linkage(distances, method="average")
    return [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def _hotspot(members: List[Request], vectors: np.ndarray, settings: HotspotSettings,
             period: Tuple[dt.datetime, dt.datetime], citywide: bool) -> Optional[Hotspot]:
    citizens = {r.citizen for r in members}
    needed = settings.citywide_min_citizens if citywide else settings.min_citizens
    if len(members) < settings.min_requests or len(citizens) < needed:
        return None
    times = [r.at for r in members]
    since, until = period
    if citywide and not _bursts(times, since, until, settings):
        return None
    heat = heat_of(times, len(citizens), until, settings.heat)
    since = until - dt.timedelta(hours=settings.alert.hours)
    alert = alert_of(times, len({r.citizen for r in members if r.at > since}), until, settings.alert)
    medoid = members[int(np.argmax((vectors @ vectors.T).sum(axis=1)))]
    return Hotspot(
        title=title_of(medoid), place=CITYWIDE if citywide else _place_name(members),
        first=min(times), last=max(times), count=len(members), citizens=len(citizens), heat=heat.heat,
        tickets=[r.number for r in sorted(members, key=lambda r: (r.at, r.number))], growth=heat.growth,
        recent=heat.recent, alert=alert is not None, reason=alert.reason if alert else None, citywide=citywide)


def _place_name(members: Sequence[Request]) -> str:
    """The most common way the members name the place, the longest among equals (幸福里小区)."""
    names: Dict[str, int] = defaultdict(int)
    for r in members:
        names[r.place.name] += 1
    return mask_address(max(names, key=lambda n: (names[n], len(n))))


def title_of(request: Request) -> str:
    """A short phrase for the hotspot: the request's first clause, personal data masked."""
    text = mask_address(mask_text(request.text.strip()))
    if request.name and len(request.name) >= 2:
        text = text.replace(request.name, mask_name(request.name))
    text = _OPENING.sub("", text) or text
    clause = _CLAUSE.split(text, 1)[0]
    if len(clause) < 8:
        clause = text
    clause = clause.rstrip("，。！？；,.!?; ")
    return clause if len(clause) <= TITLE_LENGTH else clause[:TITLE_LENGTH - 1] + "…"


def hotspots_json(hotspots: Sequence[Hotspot], top: Optional[int] = None) -> List[Dict[str, Any]]:
    return [h.to_json() for h in (hotspots[:top] if top else hotspots)]


ProgressFactory = Callable[[str], Progress]
