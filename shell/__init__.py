"""Orrery's shell: the panel, launcher and background, each an ordinary Wayland client on the toolkit
(layer-shell surfaces via :mod:`widgets.wayland.layer`). See docs/shell.md."""
