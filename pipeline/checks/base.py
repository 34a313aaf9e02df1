"""What every check shares: the parameter model base."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Params(BaseModel):
    """Thresholds of a check; unknown keys are errors, like everywhere in config.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(Params):
    pass
