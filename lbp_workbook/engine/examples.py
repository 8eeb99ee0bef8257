"""Synthetic example clients, loaded by name.

Each example is one ``lbp-assessment/1`` record stored as
``lbp_workbook/data/examples/NAME.json``. None of them is a real person: the
values were chosen so that each client lands where a lesson needs it (see
docs/architecture.md, "Example clients"). The running example through every
lesson is ``runner_sam``.

Pure Python: no matplotlib, no ipywidgets.

>>> from lbp_workbook.engine.examples import list_examples, load_example
>>> "runner_sam" in list_examples()
True
>>> sam = load_example("runner_sam")
>>> sam["client"]["id"], sam["pain"]["painful_directions"]
('sam', ['flexion'])
"""

from __future__ import annotations

import copy
import functools
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = ["list_examples", "load_example", "example_path"]

_FOLDER = ("data", "examples")


def _folder():
    resource = files("lbp_workbook")
    for part in _FOLDER:
        resource = resource / part
    return resource


@functools.lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name[: -len(".json")]
            for entry in _folder().iterdir()
            if entry.is_file() and entry.name.endswith(".json")
        )
    )


def list_examples() -> list[str]:
    """Names of the synthetic example clients, in alphabetical order.

    Returns
    -------
    list of str
        Names accepted by :func:`load_example`, e.g. ``"runner_sam"``. A new
        list on every call, so changing it changes nothing here.

    Examples
    --------
    >>> names = list_examples()
    >>> names[:3]
    ['cleared_dana', 'desk_worker_lee', 'golfer_kim']
    >>> len(names) >= 8
    True
    """
    return list(_names())


def _check_name(name: str) -> str:
    if not isinstance(name, str) or name not in _names():
        available = ", ".join(_names())
        raise ValueError(f"unknown example {name!r}; available examples: {available}")
    return name


def example_path(name: str) -> Path:
    """Where the example's JSON file lives inside the installed package.

    Parameters
    ----------
    name : str
        An example name from :func:`list_examples`.

    Returns
    -------
    pathlib.Path
        Path of ``lbp_workbook/data/examples/NAME.json``, e.g. to pass to
        ``python -m lbp_workbook assess``. (The workbook is installed from a
        folder, so the resource is a real file.)

    Raises
    ------
    ValueError
        If ``name`` is not an example; the message lists the available names.

    Examples
    --------
    >>> example_path("runner_sam").name
    'runner_sam.json'
    """
    resource = _folder() / f"{_check_name(name)}.json"
    return Path(str(resource))


@functools.lru_cache(maxsize=None)
def _read(name: str) -> dict[str, Any]:
    text = (_folder() / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def load_example(name: str) -> dict[str, Any]:
    """Load one synthetic example client as an ``lbp-assessment/1`` mapping.

    Parameters
    ----------
    name : str
        An example name from :func:`list_examples`, e.g. ``"runner_sam"``.

    Returns
    -------
    dict
        The record as plain JSON types (side-specific values as
        ``{"left": x, "right": y}``; angles in [deg], Schober in [cm], hold
        times in [s], pain as [0-10 NRS]). Every call returns a fresh deep
        copy, so a learner can edit it freely without changing the next load.

    Raises
    ------
    ValueError
        If ``name`` is not an example; the message lists the available names.

    Notes
    -----
    The examples are synthetic teaching cases, not people and not norms. Their
    numbers are set against the workbook's reference points (for instance a
    straight-leg raise below 80 deg counts as reduced hamstring extensibility)
    so that each client shows one idea clearly. They say nothing about how
    common any pattern is.

    Examples
    --------
    >>> sam = load_example("runner_sam")
    >>> sam["flexibility"]["slr_deg"]
    {'left': 62, 'right': 66}
    >>> sam["flexibility"]["slr_deg"]["left"] = 90
    >>> load_example("runner_sam")["flexibility"]["slr_deg"]["left"]
    62
    >>> load_example("runner_bob")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: unknown example 'runner_bob'; available examples: cleared_dana, ...
    """
    return copy.deepcopy(_read(_check_name(name)))
