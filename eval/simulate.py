"""Held-out conversation simulator: simulated citizens talk to the assistant until a ticket, a
referral, a hand-off, a loop or the turn limit, and the tickets are read back from the database.

    .venv/bin/python eval/simulate.py [--seed 1] [--limit N] [--only GROUP] [--verbose] [--json]
    .venv/bin/python eval/simulate.py --pools eval/simulation_fresh   # the fresh held-out set
    .venv/bin/python eval/simulate.py --rasa-url http://127.0.0.1:5005 --database-url sqlite:///var/hotline.db

Without --rasa-url it starts its own assistant (hotline.stack.Stack on free ports, a fresh SQLite
database in a temporary folder) from the project tree on PYTHONPATH and stops it afterwards.
Pools: eval/simulation/*.yml (or --pools DIR). Figures: a table on stdout and reports/simulation.json; failing
conversations in full: reports/simulation_failures.txt (beside --out, named after it).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))   # the simulation package next to this file

from simulation import dialogue, metrics, outcomes, report   # noqa: E402
from simulation.checks import TicketChecker   # noqa: E402
from simulation.client import RasaClient   # noqa: E402
from simulation.metrics import Result   # noqa: E402
from simulation.pools import Citizen, Pools, draw   # noqa: E402

GROUPS = ("openings", "letters", "emergencies", "innocuous", "not_accepted", "kb")
INTAKE_GROUPS = ("openings", "letters")


def failures_path(out: Path) -> Path:
    """reports/simulation.json -> reports/simulation_failures.txt; each pool set keeps its own."""
    return out.with_name(f"{out.stem}_failures.txt")


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="12345 助手对话模拟评测 (held-out conversation simulator)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="at most N citizens per group")
    parser.add_argument("--only", choices=GROUPS + ("intake",), help="run one group (intake = openings + letters)")
    parser.add_argument("--verbose", action="store_true", help="print failing conversations in full")
    parser.add_argument("--json", action="store_true", help="print the JSON report instead of the table")
    parser.add_argument("--rasa-url", help="talk to a running assistant instead of starting one")
    parser.add_argument("--database-url", help="its ticket database (needed with --rasa-url)")
    parser.add_argument("--workers", type=int, default=3, help="conversations at a time")
    parser.add_argument("--pools", default=None,
                        help="folder with citizens/letters/screening/kb_questions.yml (default eval/simulation)")
    parser.add_argument("--out", default=None, help="JSON report (default reports/simulation.json)")
    args = parser.parse_args(argv)
    if args.rasa_url and not args.database_url:
        parser.error("--rasa-url needs --database-url to read the tickets back")
    return args


def _selected(groups: Dict[str, List[Citizen]], only: Optional[str], limit: Optional[int],
              seed: int) -> Dict[str, List[Citizen]]:
    names = INTAKE_GROUPS if only == "intake" else ((only,) if only else GROUPS)
    chosen = {}
    for name in names:
        citizens = list(groups[name])
        if limit is not None and limit < len(citizens):
            # A spread sample (not the first N, which would all be one request type).
            citizens = sorted(random.Random(f"{seed}:limit:{name}").sample(citizens, limit), key=lambda c: c.index)
        chosen[name] = citizens
    return chosen


# -- judging one conversation -----------------------------------------------------------------------
class Judge:
    def __init__(self, simulator: dialogue.Simulator, checker: TicketChecker, project_root: str):
        self.simulator, self.checker, self.project_root = simulator, checker, project_root

    def intake(self, citizen: Citizen) -> Result:
        conversation = self.simulator.run_intake(citizen)
        result = Result(conversation)
        if conversation.outcome == dialogue.TICKET:
            result.check = self.checker.check(conversation)
        if citizen.group == "letters":
            result.parse_intent = (self.simulator.client.parse(citizen.opening).get("intent") or {}).get("name")
        result.failed = not (result.check and result.check.correct)
        result.why = result.check.problems() if result.check else f"没有工单 no ticket ({conversation.outcome})"
        return result

    def innocuous(self, citizen: Citizen) -> Result:
        result = self.intake(citizen)
        if result.conversation.outcome == dialogue.EMERGENCY:
            result.why = "误转紧急 false emergency referral"
        return result

    def emergency(self, citizen: Citizen) -> Result:
        result = Result(self.simulator.run_emergency(citizen))
        result.failed = not metrics.emergency_recalled(result.conversation)
        result.why = f"转介号码 referred to {result.conversation.emergency_numbers or '—'}"
        return result

    def not_accepted(self, citizen: Citizen) -> Result:
        conversation = self.simulator.run_first_reply(citizen)
        result = Result(conversation)
        result.failed = not (conversation.outcome == dialogue.NOT_ACCEPTED and conversation.route == citizen.route)
        result.why = f"路径 route {conversation.route or '—'}"
        return result

    def kb(self, citizen: Citizen) -> Result:
        conversation = self.simulator.run_first_reply(citizen)
        result = Result(conversation)
        if conversation.turns:
            reply = conversation.turns[0].reply
            result.kb_hit = outcomes.kb_hit(reply.text, [p for _, p in reply.buttons], citizen.kb_id, self.project_root)
        result.failed = result.kb_hit is None
        result.why = "首轮没有给出期望条目 expected entry not in the first reply" if result.failed else result.kb_hit
        return result

    def for_group(self, group: str) -> Callable[[Citizen], Result]:
        return {"openings": self.intake, "letters": self.intake, "innocuous": self.innocuous,
                "emergencies": self.emergency, "not_accepted": self.not_accepted, "kb": self.kb}[group]


def _run_group(name: str, citizens: List[Citizen], judge: Callable[[Citizen], Result], workers: int) -> List[Result]:
    done, lock = [0], threading.Lock()

    def one(citizen: Citizen) -> Result:
        result = judge(citizen)
        with lock:
            done[0] += 1
            print(f"[{name}] {done[0]}/{len(citizens)}", file=sys.stderr, flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, citizens))


def _figures(results: Dict[str, List[Result]]) -> Dict:
    figures: Dict = {}
    intake = [r for g in INTAKE_GROUPS for r in results.get(g, [])]
    if intake:
        figures["intake"] = metrics.intake(intake)
        figures["intake_by_style"] = metrics.intake_by(intake, lambda r: r.conversation.citizen.style)
        figures["intake_by_type"] = metrics.intake_by(intake, lambda r: r.conversation.citizen.request_type)
    for group, summarise in (("letters", metrics.letters), ("emergencies", metrics.emergencies),
                             ("innocuous", metrics.innocuous), ("not_accepted", metrics.not_accepted),
                             ("kb", metrics.knowledge)):
        if results.get(group):
            figures[group] = summarise(results[group])
    return figures


# -- the assistant under test ----------------------------------------------------------------------
SIMULATED_SERVICES = ("actions", "rasa")


class OwnAssistant:
    """The assistant on free ports with its own ticket database, for this run only. Only Rasa and
    the action server: the simulator speaks REST, so the web page and the voice gateway (which
    needs espeak-ng and a speech model) would only cost memory and start-up time."""

    def __enter__(self):
        from hotline.stack import Ports, Stack

        class DialogueStack(Stack):
            def _plan(self):
                return [s for s in super()._plan() if s.name in SIMULATED_SERVICES]

        self.folder = Path(tempfile.mkdtemp(prefix="hotline-sim-"))
        self.database_url = f"sqlite:///{self.folder / 'tickets.db'}"
        self.stack = DialogueStack(ports=Ports.free(), run_dir=self.folder / "run",
                           env={"HOTLINE_DATABASE_URL": self.database_url},
                           say=lambda message: print(message, file=sys.stderr, flush=True))
        self.stack.start()
        self.rasa_url = self.stack.rasa_url
        return self

    def __exit__(self, *_exc):
        self.stack.stop()


class RunningAssistant:
    def __init__(self, rasa_url: str, database_url: str):
        self.rasa_url, self.database_url = rasa_url, database_url

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return None


def _write_outputs(project_root: Path, args: argparse.Namespace, payload: Dict, results: Dict[str, List[Result]]) -> Path:
    out = Path(args.out) if args.out else project_root / "reports" / "simulation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    failures = [report.failure_text(r) for group in results.values() for r in group if r.failed]
    failures_path(out).write_text(
        f"# 失败的对话 failing conversations: {len(failures)}（seed {args.seed}）\n\n" + "\n".join(failures),
        encoding="utf-8")
    return out


def main(argv: Optional[List[str]] = None) -> int:
    args = _arguments(argv)
    from bot.settings import PROJECT_ROOT   # the tree on PYTHONPATH is the one measured
    print(f"被测项目 measuring: {PROJECT_ROOT}", file=sys.stderr)
    # Phones of an outside database may already hold tickets from an earlier run: vary them.
    salt = random.Random().randrange(10000) if args.rasa_url else 0
    groups = _selected(draw(Pools.load(args.pools), args.seed, salt), args.only, args.limit, args.seed)
    started = time.monotonic()
    assistant = RunningAssistant(args.rasa_url, args.database_url) if args.rasa_url else OwnAssistant()
    with assistant:
        client = RasaClient(assistant.rasa_url)
        simulator = dialogue.Simulator(client, run_tag=f"s{args.seed}-{int(time.time()) % 100000}")
        judge = Judge(simulator, TicketChecker(assistant.database_url), str(PROJECT_ROOT))
        results = {name: _run_group(name, citizens, judge.for_group(name), args.workers)
                   for name, citizens in groups.items()}
    figures = _figures(results)
    payload = {"seed": args.seed, "project_root": str(PROJECT_ROOT), "limit": args.limit, "only": args.only,
               "seconds": round(time.monotonic() - started, 1), "metrics": figures,
               "conversations": [report.conversation_record(r) for g in results.values() for r in g]}
    out = _write_outputs(Path(PROJECT_ROOT), args, payload, results)
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        print(f"12345 助手对话模拟 conversation simulation — seed {args.seed}, {PROJECT_ROOT}")
        print(report.table(figures))
        print(f"\n报告 report: {out}；失败对话 failures: {failures_path(out)}")
    if args.verbose:
        for group in results.values():
            for result in group:
                if result.failed:
                    print("\n" + report.failure_text(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
