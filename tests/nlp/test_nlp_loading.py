"""Loading the English pipeline: by package name, by path, and a clear error when it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy.util
from spacy.language import Language

from sitrep.errors import ModelNotFound
from sitrep.nlp import DEFAULT_MODEL, TITLE_SPANS, load_pipeline

SITREP_COMPONENTS = ["sitrep_entities", "sitrep_titles", "sitrep_places"]


def installed_pipeline_dir() -> Path:
    """The directory holding config.cfg inside the installed pipeline package."""
    package = spacy.util.get_package_path(DEFAULT_MODEL)
    configs = sorted(package.glob("*/config.cfg"))
    assert configs, f"no pipeline directory with config.cfg under {package}"
    return configs[0].parent


@pytest.mark.model
def test_loads_by_package_name_and_adds_components_after_ner(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names[-3:] == SITREP_COMPONENTS
    assert names.index("ner") < names.index("sitrep_entities")


@pytest.mark.model
def test_loads_by_path_of_installed_package() -> None:
    loaded = load_pipeline(installed_pipeline_dir())
    assert loaded.pipe_names[-3:] == SITREP_COMPONENTS
    doc = loaded("Taliban fighters entered the town.")
    assert TITLE_SPANS in doc.spans
    assert [e.ent_id_ for e in doc.ents if e.label_ == "ORG"] == ["Taliban"]


@pytest.mark.model
def test_loads_by_path_given_as_string() -> None:
    loaded = load_pipeline(str(installed_pipeline_dir()))
    assert "sitrep_titles" in loaded.pipe_names


@pytest.mark.parametrize("name", ["en_core_web_nonexistent_zz", "/nonexistent/sitrep/model"])
def test_missing_model_raises_model_not_found(name: str) -> None:
    with pytest.raises(ModelNotFound) as info:
        load_pipeline(name)
    message = str(info.value)
    assert "requirements-model.txt" in message
    assert name in message


def test_model_not_found_is_not_swallowed_as_oserror() -> None:
    with pytest.raises(ModelNotFound) as info:
        load_pipeline("en_core_web_nonexistent_zz")
    assert isinstance(info.value.__cause__, OSError)
