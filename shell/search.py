"""The launcher's search: fuzzy matching over name, generic name and keywords, ranked by what you launch.

    index = AppIndex(installed_apps())
    history = LaunchHistory.load(state_file())
    index.search("term", history)          # best first

A match in the name beats one in the generic name or keywords; a prefix beats the start of a word, which beats
any substring, which beats the letters in order with gaps (fewer gaps, better). Each launch adds to the app's
frecency (halved every 30 days), which lifts it among equals and orders the list before anything is typed.
History lives in ``$XDG_STATE_HOME/orrery/launcher.json``.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .desktop_entry import DesktopEntry

HALF_LIFE_DAYS = 30.0


def state_file(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local/state")
    return Path(base) / "orrery" / "launcher.json"


@dataclass
class LaunchHistory:
    """Launch counts and times by desktop id; ``boost(id)`` is what ranking adds."""

    path: Path | None = None
    launches: dict[str, tuple[float, float]] = field(default_factory=dict)  # id -> (weight, last time)

    @classmethod
    def load(cls, path: Path) -> LaunchHistory:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            launches = {str(k): (float(v[0]), float(v[1])) for k, v in data.get("launches", {}).items()}
        except (OSError, ValueError, TypeError, IndexError, AttributeError):
            launches = {}
        return cls(path, launches)

    def weight(self, app_id: str, now: float | None = None) -> float:
        found = self.launches.get(app_id)
        if found is None:
            return 0.0
        weight, last = found
        age_days = max(0.0, ((now or time.time()) - last) / 86400)
        return weight * 0.5 ** (age_days / HALF_LIFE_DAYS)

    def boost(self, app_id: str, now: float | None = None) -> float:
        return 12.0 * math.log2(1.0 + self.weight(app_id, now))

    def record(self, app_id: str, now: float | None = None) -> None:
        moment = now or time.time()
        self.launches[app_id] = (self.weight(app_id, moment) + 1.0, moment)
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                temporary = self.path.with_suffix(".tmp")
                temporary.write_text(json.dumps({"launches": self.launches}), encoding="utf-8")
                temporary.replace(self.path)
            except OSError:
                pass


@dataclass(frozen=True)
class _Candidate:
    entry: DesktopEntry
    name: str
    words: str  # " word word": the name's words, each after a space, for word-start matches
    other: str
    other_words: str


def _words(text: str) -> str:
    return " " + " ".join(w for w in re.split(r"[\s\-_.]+", text) if w)


def match_score(query: str, name: str, words: str, other: str, other_words: str) -> float | None:
    """How well ``query`` (lower case) matches a name and its other text (``words``: see :class:`_Candidate`)."""
    if name.startswith(query):
        return 100.0 + (10.0 if len(name) == len(query) else 0.0)
    spaced = " " + query
    if spaced in words:
        return 80.0
    if query in name:
        return 60.0
    if query in other:
        return 45.0 if spaced in other_words else 35.0
    gaps = _gaps(query, name)
    if gaps is not None:
        return max(5.0, 30.0 - 2.0 * gaps)
    gaps = _gaps(query, other)
    if gaps is not None:
        return max(1.0, 12.0 - gaps)
    return None


def _gaps(query: str, text: str) -> int | None:
    """Letters skipped between the first and last matched letter of ``query`` found in order in ``text``."""
    position = text.find(query[0])
    if position < 0:
        return None
    start = position
    for letter in query[1:]:
        position = text.find(letter, position + 1)
        if position < 0:
            return None
    return position - start + 1 - len(query)


class AppIndex:
    """The entries, prepared for matching. Typing one more letter only rescans what matched before it (every
    kind of match of a query is also a match of its prefix)."""

    def __init__(self, entries: Sequence[DesktopEntry]) -> None:
        self.candidates = []
        for e in entries:
            name = e.name.lower()
            other = " ".join([e.generic_name, *e.keywords, e.exec.split(" ", 1)[0].rsplit("/", 1)[-1]]).lower()
            self.candidates.append(_Candidate(e, name, _words(name), other, _words(other)))
        self._last: tuple[str, list[_Candidate]] = ("", self.candidates)
        # The first keystroke matches nearly everything: its ranking without history is computed up front.
        self._first: dict[str, tuple[list[_Candidate], list[tuple[float, str, int]]]] = {}
        letters = {letter for c in self.candidates for letter in c.name + c.other if not letter.isspace()}
        for letter in letters:
            matches, scored = self._scan(letter, self.candidates, {})
            self._first[letter] = (matches, sorted(scored, key=lambda item: (-item[0], item[1])))

    def _scan(self, q: str, pool: list[_Candidate],
              boosts: dict[str, float]) -> tuple[list[_Candidate], list[tuple[float, str, int]]]:
        matches: list[_Candidate] = []
        scored: list[tuple[float, str, int]] = []
        for c in pool:
            score = match_score(q, c.name, c.words, c.other, c.other_words) if q else 0.0
            if score is None:
                continue
            matches.append(c)
            scored.append((score + boosts.get(c.entry.id, 0.0), c.name, len(matches) - 1))
        return matches, scored

    def search(self, query: str, history: LaunchHistory | None = None, limit: int = 50,
               now: float | None = None) -> list[DesktopEntry]:
        q = query.strip().lower()
        moment = now or time.time()
        boosts = {app_id: history.boost(app_id, moment) for app_id in history.launches} if history else {}
        if len(q) == 1:
            matches, ranked = self._first.get(q, ([], []))
            self._last = (q, matches)
            # only launched apps can move up: the unboosted top ``limit`` plus every boosted match
            head = ranked[:limit]
            extra = [(match_score(q, c.name, c.words, c.other, c.other_words) or 0.0, c.name, i)
                     for i, c in enumerate(matches) if c.entry.id in boosts]
            scored = [(score + boosts.get(matches[i].entry.id, 0.0), name, i) for score, name, i in head]
            scored += [(score + boosts[matches[i].entry.id], name, i) for score, name, i in extra
                       if (score, name, i) not in head]
        else:
            last_query, last_matches = self._last
            pool = last_matches if q and last_query and q.startswith(last_query) else self.candidates
            matches, scored = self._scan(q, pool, boosts)
            self._last = (q, matches)
        best = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
        return [matches[i].entry for _score, _name, i in best]
