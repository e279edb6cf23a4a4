"""Live reload with real files: in-place writes, rename-over saves, parent edits and broken edits."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from themes import SearchPath, ThemeUpdate, ThemeWatcher
from themes.loader import BUILTIN_DIR


def theme(accent: str, parent: str = "orrery-dark") -> str:
    return f'[meta]\ninherits = "{parent}"\n\n[tokens]\naccent = "{accent}"\n'


async def next_update(watcher: ThemeWatcher) -> ThemeUpdate:
    return await asyncio.wait_for(watcher.__anext__(), timeout=10)


async def scenario(directory: Path) -> None:
    path = directory / "live.toml"
    path.write_text(theme("#ff0000"))
    async with ThemeWatcher("live", SearchPath((directory, BUILTIN_DIR)), debounce=0.05) as watcher:
        assert watcher.current.tokens.accent.hex() == "#ff0000"

        path.write_text(theme("#00ff00"))  # an in-place save
        update = await next_update(watcher)
        assert update.applied and update.diagnostics == ()
        assert update.theme.tokens.accent.hex() == "#00ff00"
        assert watcher.current is update.theme

        temporary = directory / ".live.toml.swp"  # an editor's write-temp-then-rename save
        temporary.write_text(theme("#0000ff"))
        os.replace(temporary, path)
        update = await next_update(watcher)
        assert update.applied and update.theme.tokens.accent.hex() == "#0000ff"
        good = update.theme

        path.write_text(theme("#12345"))  # a broken edit keeps the theme and says what is wrong
        update = await next_update(watcher)
        assert not update.applied
        assert update.theme is good and watcher.current is good
        assert [str(d) for d in update.errors] == [
            f'{path}:5:10: error: tokens.accent: bad colour "#12345": expected #rgb, #rrggbb or #rrggbbaa']

        path.write_text(theme("#abcdef", parent="base"))  # fixed, and now inheriting a theme of our own
        (directory / "base.toml").write_text('[meta]\ninherits = "orrery-light"\n')
        update = await next_update(watcher)
        if update.errors:  # the edit was seen before base.toml existed
            update = await next_update(watcher)
        assert update.applied and update.theme.meta.variant == "light"
        assert update.theme.tokens.accent.hex() == "#abcdef"

        (directory / "base.toml").write_text('[meta]\ninherits = "orrery-dark"\n')  # editing the parent
        update = await next_update(watcher)
        assert update.applied and update.theme.meta.variant == "dark"


def test_live_reload(tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path))


def test_a_broken_first_load_falls_back_to_a_builtin(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[tokens\n")
    watcher = ThemeWatcher("bad", SearchPath((tmp_path, BUILTIN_DIR)))
    assert watcher.current.name == "Orrery Dark"
    assert [str(d) for d in watcher.diagnostics] == [
        f"{tmp_path}/bad.toml:1:8: error: invalid TOML: Expected ']' at the end of a table declaration"]
