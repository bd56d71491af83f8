"""What a fresh machine installs is what we tested: requirements.lock pins everything
pyproject.toml asks for, within its bounds, and the build runs on locked tools too."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for group in PYPROJECT["dependency-groups"].values():
        lines.extend(group)
    return [Requirement(line) for line in lines]


def test_every_declared_requirement_is_pinned_within_its_bounds() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}: run `make lock`")


def test_every_direct_requirement_has_bounds() -> None:
    # A lower bound we tested, an upper one before the next major release; tzdata is data
    # (the newest is always the right one) and is the one allowed to float up.
    for requirement in declared():
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators, requirement
        if requirement.name != "tzdata":
            assert "<" in operators, requirement


def test_the_build_backend_needs_what_the_locked_build_group_installs() -> None:
    # `make` installs the "build" group from the lock and builds without isolation, so the
    # backend's own list must be the same, or a build would use tools nobody tested.
    assert PYPROJECT["build-system"]["requires"] == PYPROJECT["dependency-groups"]["build"]
