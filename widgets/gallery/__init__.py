"""The widget gallery: every widget in one window. ``python -m widgets.gallery [--png out.png]``."""

from .app import Gallery, GalleryState

__all__ = ["Gallery", "GalleryState"]
