"""WhiteNoise, quiet about a STATIC_ROOT that ``collectstatic`` has not filled.

The embedded mode serves static files straight from the apps (``WHITENOISE_USE_FINDERS``);
a deployment that runs ``collectstatic`` is served from STATIC_ROOT as usual.
"""

from __future__ import annotations

import os
from typing import Any

from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    def add_files(self, root: str, prefix: str | None = None) -> Any:
        if self.autorefresh or os.path.isdir(root):
            return super().add_files(root, prefix)
        return None
