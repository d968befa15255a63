"""The Clusters tab's data sets, as its Data box names them (Qt-free)."""

from __future__ import annotations

from ..core import datasets as sets

#: data sets: name → (default spread or None, whether "groups" applies)
DATASETS = {
    "blobs": (0.8, True),
    "uniform noise": (None, False),
    "two long clusters": (0.3, False),
    "rings": (0.25, False),
    "smiley": (0.2, False),
    "cats & dogs": (1.0, False),
}


def generate(name: str, n: int, spread: float, groups: int, seed: int) -> tuple:
    """A data set of the Data box: points, their true groups, the groups' names (empty: none) and the axes."""
    xy = ["x", "y"]
    if name == "blobs":
        X, truth = sets.blobs(n, groups, spread, seed)
        return X, truth, tuple(f"blob {j + 1}" for j in range(groups)), xy
    if name == "uniform noise":
        X, truth = sets.uniform_noise(n, seed)
        return X, truth, (), xy
    if name == "two long clusters":
        X, truth = sets.long_clusters(n, spread, seed)
        return X, truth, ("upper", "lower"), xy
    if name == "rings":
        X, truth = sets.rings(n, spread, seed)
        return X, truth, ("inner ring", "outer ring"), xy
    if name == "smiley":
        X, truth = sets.smiley(n, spread, seed)
        return X, truth, ("outline", "left eye", "right eye", "mouth"), xy
    if name == "cats & dogs":
        X, truth = sets.cats_and_dogs(n, spread, seed)
        return X, truth, tuple(f"{animal}s" for animal in sets.ANIMALS), list(sets.CATS_AND_DOGS_FEATURES)
    raise ValueError(f"There is no data set {name!r}.")
