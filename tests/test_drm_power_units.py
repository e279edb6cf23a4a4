"""Output power on the DRM backend, against a stand-in for the GPU: off disables the output's CRTC and nothing is
presented meanwhile; on sets its mode again with the buffer shown last; a GPU that refuses is reported."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from compositor.backends.drm import DrmBackend
from compositor.backends.drm_head import Head
from compositor.device.libdrm import DrmError
from compositor.scene import Output


class Card:
    def __init__(self, refuse: bool = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.refuse = refuse

    def set_crtc(self, crtc: int, fb: int, connector: int, mode: object) -> None:
        if self.refuse:
            raise DrmError("setting mode on CRTC 3: Permission denied")
        self.calls.append(("set", crtc, fb, connector, mode))

    def disable_crtc(self, crtc: int) -> None:
        self.calls.append(("off", crtc))

    def page_flip(self, crtc: int, fb: int) -> None:
        self.calls.append(("flip", crtc, fb))


def _backend(card: Card) -> tuple[DrmBackend, Output]:
    head = Head(card, SimpleNamespace(name="HDMI-A-1", id=7), 3, "1920x1080@60")  # type: ignore[arg-type]
    head.scanouts = [SimpleNamespace(fb=11), SimpleNamespace(fb=12)]  # type: ignore[list-item]
    head.back = 1  # buffer 0 is on screen
    output = Output("HDMI-A-1", 0, 0, 1920, 1080)
    head.output = output
    backend = DrmBackend()
    backend.card, backend.active, backend.heads = card, True, {"HDMI-A-1": head}  # type: ignore[assignment]
    return backend, output


def test_off_disables_the_crtc_presents_nothing_and_on_shows_the_last_buffer_again() -> None:
    card = Card()
    backend, output = _backend(card)
    backend.set_power(output, False)
    output.powered = False  # (what the output-power part does once the backend agreed)
    assert card.calls == [("off", 3)]
    assert backend.present(output, []) is False and card.calls == [("off", 3)], "no page flip while off"
    backend.set_power(output, True)
    assert card.calls[-1] == ("set", 3, 11, 7, "1920x1080@60")


def test_a_gpu_refusing_to_power_up_is_an_error_naming_the_output() -> None:
    backend, output = _backend(Card(refuse=True))
    with pytest.raises(ValueError, match="HDMI-A-1: .*Permission denied"):
        backend.set_power(output, True)
