"""What every shell client shares: its settings (shell.toml, live) and its theme (live), and their problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets.core.subscription import Subscription
from widgets.themed import LiveTheme, Restyle, watch_theme

from .config import ConfigChanged, LiveConfig, ShellConfig, default_path, watch_config


@dataclass
class Common:
    path: Path
    settings: LiveConfig
    look: LiveTheme

    @classmethod
    def load(cls, path: Path | None = None) -> Common:
        where = path or default_path()
        settings = LiveConfig.load(where)
        return cls(where, settings, LiveTheme.load(settings.config.theme))

    @property
    def config(self) -> ShellConfig:
        return self.settings.config

    def update(self, message: Any) -> bool:
        """Handle a settings or theme reload; False for any other message."""
        if isinstance(message, ConfigChanged):
            before = self.config.theme
            self.settings = self.settings.apply(message.result)
            if self.config.theme != before:
                self.look = LiveTheme.load(self.config.theme)
            return True
        if isinstance(message, Restyle):
            self.look = self.look.apply(message.update)
            return True
        return False

    def subscriptions(self) -> Subscription[Any]:
        return Subscription.batch([watch_config(self.path), watch_theme(self.config.theme, Restyle)])

    @property
    def problems(self) -> list[str]:
        """The settings' and the theme's problems, each as ``file:line:col: key: message``."""
        return [*self.settings.notice[1:], *self.look.notice[1:]]

    @property
    def notice(self) -> list[str]:
        return [*self.settings.notice, *self.look.notice]
