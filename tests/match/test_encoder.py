"""The semantic extra's ONNX encoder: an export checked against torch, the same vectors as sentence-transformers,
reused once made, and torch still answering when no export can be made.

Skipped when the extra (with onnxruntime) is not installed.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.match import encoder, semantic

pytestmark = pytest.mark.skipif(
    not semantic._installed() or importlib.util.find_spec("onnxruntime") is None,
    reason='semantic extra not installed (pip install torch==2.13.0, then pip install -e ".[semantic]")',
)

TEXTS = [
    "Is the harbour of Tallow open again?",
    "The choir of Brenmoor says the tour goes ahead; the council says no hall is booked. " * 20,  # past 256 pieces
    "Брenmoor’s mayor — “no comment” 🚀",
    "a",
    "Grain ships left Dunmere at dawn, the port authority said.",
]


@pytest.fixture(scope="module")
def exported() -> Path:
    """The export in the test session's model cache (tests/conftest.py), made by the first test that needs it."""
    path = encoder.onnx_path(semantic.model_dir())
    if not path.exists():
        encoder.export(semantic.model_dir(), path)
    return path


@pytest.fixture
def fresh_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(semantic.ENV_BACKEND, raising=False)
    semantic._model.cache_clear()
    yield
    semantic._model.cache_clear()


def test_onnx_vectors_are_sentence_transformers_vectors(exported: Path) -> None:
    onnx = encoder.OnnxEncoder(exported, semantic.model_dir()).encode(TEXTS, batch_size=2)
    torch = semantic._TorchEncoder(threads=1).encode(TEXTS)
    assert onnx.shape == (len(TEXTS), semantic.DIMENSIONS) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    # every text, the one cut at the model's 256 word pieces included, and in the caller's order despite batching
    # by length
    assert np.abs(onnx - torch).max() < 1e-5


def test_an_export_is_made_once_and_then_loaded(
    exported: Path, monkeypatch: pytest.MonkeyPatch, fresh_model: None
) -> None:
    monkeypatch.setenv(encoder.ENV_CACHE, str(exported.parent))

    def never(*_: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(encoder, "export", never)
    assert isinstance(semantic._model(), encoder.OnnxEncoder)
    assert semantic.encode(["Grain ships left Dunmere"]).shape == (1, semantic.DIMENSIONS)


def test_another_export_format_is_another_file(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(encoder.ENV_CACHE, str(exported.parent))
    monkeypatch.setattr(encoder, "EXPORT_FORMAT", encoder.EXPORT_FORMAT + 1)
    assert encoder.onnx_path(semantic.model_dir()) != exported


def test_an_export_unlike_torch_is_refused_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(encoder.ENV_CACHE, str(tmp_path))
    monkeypatch.setattr(encoder, "TOLERANCE", -1.0)  # no difference is small enough: the check must refuse
    with pytest.raises(RuntimeError, match="differs from torch"):
        encoder.export(semantic.model_dir(), encoder.onnx_path(semantic.model_dir()))
    assert list(tmp_path.iterdir()) == []


def test_without_an_export_torch_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_model: None, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(encoder.ENV_CACHE, str(blocker))
    with caplog.at_level(logging.WARNING, logger="bot.match.semantic"):
        vectors = semantic.encode(TEXTS[:2])
    assert isinstance(semantic._model(), semantic._TorchEncoder)
    assert vectors.shape == (2, semantic.DIMENSIONS)
    assert "running it with torch" in caplog.text
    assert blocker.read_text() == "a file where the cache folder would be"


def test_the_backend_switch_chooses_torch(monkeypatch: pytest.MonkeyPatch, fresh_model: None) -> None:
    monkeypatch.setenv(semantic.ENV_BACKEND, "torch")
    assert isinstance(semantic._model(), semantic._TorchEncoder)
