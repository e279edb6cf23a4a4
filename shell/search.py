"""The launcher's search: fuzzy matching over name, generic name and keywords, ranked by what you launch.

    index = AppIndex(installed_apps())
    history = LaunchHistory.load(state_file())
    index.search("term", history)          # best first

A match in the name beats one in the generic name or keywords; a prefix beats the start of a word, which beats
any substring, which beats the letters in order with gaps (fewer gaps, better). Each launch adds to the app's
frecency (halved every 30 days), which lifts it among equals and orders the list before anything is typed.
History lives in ``$XDG_STATE_HOME/orrery/launcher.json``.

A keystroke costs a few regular-expression scans (in C) of the names and other texts, each kept as one string,
and Python work only for what is shown: the kinds of match rank in tiers whose scores never overlap, so the scan
stops at the first tiers that fill the list, and only launched apps (whose boost can lift them across tiers) are
scored one by one.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import os
import re
import time
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
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


def _words(text: str) -> str:
    return " " + " ".join(w for w in re.split(r"[\s\-_.]+", text) if w)


def in_order(query: str) -> re.Pattern[str]:
    """The letters of ``query`` in order within one line, each the first one after the letter before it (so the
    match starts at the first letter from which the rest follow, and spans as few letters as that allows)."""
    pattern = re.escape(query[0])
    for letter in query[1:]:
        pattern += f"[^\n{re.escape(letter)}]*{re.escape(letter)}"
    return re.compile(pattern)


def match_score(query: str, name: str, words: str, other: str, other_words: str,
                letters: re.Pattern[str] | None = None) -> float | None:
    """How well ``query`` (lower case) matches a name and its other text (``words``: the name's words, each after
    a space, for word-start matches; ``other_words`` the same of ``other``; ``letters``: ``in_order(query)``, when
    it was made already)."""
    if name.startswith(query):
        return 100.0 + (10.0 if len(name) == len(query) else 0.0)
    spaced = " " + query
    if spaced in words:
        return 80.0
    if query in name:
        return 60.0
    if query in other:
        return 45.0 if spaced in other_words else 35.0
    search = (letters or in_order(query)).search
    found = search(name)
    if found is not None:
        return _scattered_in_name(found, query)
    found = search(other)
    if found is not None:
        return _scattered_in_other(found, query)
    return None


def _scattered_in_name(found: re.Match[str], query: str) -> float:  # fewer letters skipped, better
    return max(5.0, 30.0 - 2.0 * (found.end() - found.start() - len(query)))


def _scattered_in_other(found: re.Match[str], query: str) -> float:
    return max(1.0, 12.0 - (found.end() - found.start() - len(query)))


class _Column:
    """One text per entry, a line each of a single string: one regular expression scans them all."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = "\n".join(texts)
        self.starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str]]]:
        """(entry, match) for the first match in each entry's line."""
        last = -1
        for found in pattern.finditer(self.text):
            line = bisect_right(self.starts, found.start()) - 1
            if line != last:
                last = line
                yield line, found


Ranked = tuple[float, str, int]  # (-score, lower-case name, entry): sorts best first


class AppIndex:
    """The entries, prepared for matching: names, word lists and other texts, each as a :class:`_Column`."""

    def __init__(self, entries: Sequence[DesktopEntry]) -> None:
        self.entries = list(entries)
        # (a line break, which a desktop file may escape into a name, would split an entry's line of a column)
        self.names = [e.name.lower().replace("\n", " ") for e in self.entries]
        self.others = [" ".join([e.generic_name, *e.keywords, e.exec.split(" ", 1)[0].rsplit("/", 1)[-1]]).lower()
                       .replace("\n", " ") for e in self.entries]
        self.words = [_words(name) for name in self.names]
        self.other_words = [_words(other) for other in self.others]
        self.by_id = {e.id: i for i, e in enumerate(self.entries)}
        self.by_name = sorted(range(len(self.entries)), key=lambda i: self.names[i])
        self.columns = [_Column(texts) for texts in (self.names, self.words, self.others)]

    def _tiers(self, q: str, letters: re.Pattern[str]) -> Iterator[list[Ranked]]:
        """The entries that match ``q``, tier by tier: every score of a tier is above every score of the next."""
        names, words, others = self.columns
        literal = re.escape(q)
        yield [(-110.0 if self.names[i] == q else -100.0, self.names[i], i)
               for i, _ in names.matches(re.compile("^" + literal, re.MULTILINE))]
        yield [(-80.0, self.names[i], i) for i, _ in words.matches(re.compile(" " + literal))]
        yield [(-60.0, self.names[i], i) for i, _ in names.matches(re.compile(literal))]
        spaced = " " + q
        yield [(-45.0 if spaced in self.other_words[i] else -35.0, self.names[i], i)
               for i, _ in others.matches(re.compile(literal))]
        # letters scattered in the name (30 down to 5), else in the other text (12 down to 1)
        in_name = [(-_scattered_in_name(found, q), self.names[i], i) for i, found in names.matches(letters)]
        scattered = {i for _score, _name, i in in_name}
        yield in_name + [(-_scattered_in_other(found, q), self.names[i], i) for i, found in others.matches(letters)
                         if i not in scattered]

    def search(self, query: str, history: LaunchHistory | None = None, limit: int = 50,
               now: float | None = None) -> list[DesktopEntry]:
        q = query.strip().lower()
        moment = now or time.time()
        boosts = {self.by_id[app_id]: history.boost(app_id, moment) for app_id in history.launches
                  if app_id in self.by_id} if history else {}
        ranked: list[Ranked] = []  # launched apps, scored with their boost
        letters = in_order(q) if q else None
        for i, boost in boosts.items():
            score = match_score(q, self.names[i], self.words[i], self.others[i], self.other_words[i], letters) \
                if q else 0.0
            if score is not None:
                ranked.append((-(score + boost), self.names[i], i))
        if not q:
            ranked += [(0.0, self.names[i], i) for i in itertools.islice(
                (i for i in self.by_name if i not in boosts), limit)]
        elif letters is not None:
            seen = set(boosts)  # each entry counts in its best tier only
            found = 0
            for tier in self._tiers(q, letters):
                fresh = [item for item in tier if item[2] not in seen]
                seen.update(item[2] for item in fresh)
                ranked += fresh
                found += len(fresh)
                if found >= limit:
                    break
        return [self.entries[i] for _score, _name, i in heapq.nsmallest(limit, ranked)]
