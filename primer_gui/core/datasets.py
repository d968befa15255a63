"""Seeded data generators for the tabs.  Every generator takes ``seed`` and is pure."""

from __future__ import annotations

import numpy as np

#: axis labels of :func:`house_prices`, in the units the numbers are in
HOUSE_SIZE_LABEL = "size (100 m²)"
HOUSE_PRICE_LABEL = "price (100 000 €)"


def house_prices(n: int = 30, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """House size vs price: the primer's first regression example.

    Sizes are uniform between 40 and 250 m², given in hundreds of m² so that both
    axes are of order one (gradient descent then converges at learning rates a
    person would try).  Price ≈ 0.5 + 1.8 × size (in 100 000 €) plus Gaussian
    noise of standard deviation ``noise``.  Returns ``X`` of shape ``(n, 1)`` and
    ``y`` of shape ``(n,)``.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}.")
    if noise < 0:
        raise ValueError(f"noise must be ≥ 0; got {noise}.")
    rng = np.random.default_rng(seed)
    size = rng.uniform(0.4, 2.5, n)
    price = 0.5 + 1.8 * size + rng.normal(0.0, noise, n)
    return size.reshape(-1, 1), price


# -- two-class sets for the Neural net and Classify tabs ------------------------------------
# Coordinates live in the box [−6, 6]² with the shapes of TensorFlow Playground's data sets, so
# its learning rates and architectures behave the same here.  Labels are 0/1 (for the tanh head
# use 2·y − 1).  ``noise`` ≥ 0 jitters the points: for circle and xor the label follows the
# jittered position (the classes stay separable, the margin shrinks); for gaussian, spiral and
# moons the label stays with the class that generated the point (the classes overlap).  Points
# come in random order; for gaussian, spiral and moons half are class 1 (one more for odd n).


def _check_n(n, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"n must be a whole number ≥ {minimum}; got {n!r}.")
    return int(n)


def _check_noise(noise, name: str = "noise") -> float:
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number ≥ 0; got {noise!r}.") from None
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"{name} must be a finite number ≥ 0; got {noise}.")
    return noise


def _shuffled(rng: np.random.Generator, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def circle(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A disc of class 1 (radius < 2.5) inside a ring of class 0 (radius 3.5 to 5).

    Jitter is uniform in ``±5·noise`` per coordinate; the label is 1 where the
    jittered point lies within radius 2.5.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    inner = (n + 1) // 2
    radius = np.concatenate([rng.uniform(0.0, 2.5, inner), rng.uniform(3.5, 5.0, n - inner)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X += rng.uniform(-5.0, 5.0, (n, 2)) * noise
    y = (np.hypot(X[:, 0], X[:, 1]) < 2.5).astype(float)
    return _shuffled(rng, X, y)


def xor(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four quadrants: class 1 where x·y > 0 (first and third), class 0 elsewhere.

    Coordinates are uniform in ±5, pushed 0.3 away from the axes; jitter is
    uniform in ``±5·noise``; the label follows the jittered point.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)
    X += rng.uniform(-5.0, 5.0, (n, 2)) * noise
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X, y


def gaussian(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs: class 1 around (2, 2), class 0 around (−2, −2).

    The variance grows with noise from 0.5 (noise 0) to 4 (noise 0.5, Playground's
    maximum): ``variance = 0.5 + 7·noise``.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    positive = (n + 1) // 2
    y = np.concatenate([np.ones(positive), np.zeros(n - positive)])
    centre = np.where(y[:, None] == 1, 2.0, -2.0)
    X = centre + rng.normal(0.0, np.sqrt(0.5 + 7.0 * noise), (n, 2))
    return _shuffled(rng, X, y)


def spiral(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms of radius up to 5, 1.75 turns each; class 1 is the arm at angle 0.

    Point ``i`` of an arm of ``m`` points sits at radius ``5·i/m`` and angle
    ``1.75·2π·i/m`` (plus π for class 0); jitter is uniform in ``±noise``.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    positive = (n + 1) // 2
    arms = []
    for label, count, turn in ((1.0, positive, 0.0), (0.0, n - positive, np.pi)):
        t = np.arange(count) / max(count, 1)
        angle = 1.75 * 2 * np.pi * t + turn
        arms.append((5.0 * t * np.sin(angle), 5.0 * t * np.cos(angle), np.full(count, label)))
    X = np.column_stack([np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])])
    X += rng.uniform(-1.0, 1.0, (n, 2)) * noise
    y = np.concatenate([a[2] for a in arms])
    return _shuffled(rng, X, y)


def moons(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (scikit-learn's "moons"), scaled ×3 and centred in the box.

    Class 1 is the upper moon ``(cos t, sin t)``, class 0 the lower one
    ``(1 − cos t, ½ − sin t)``, ``t`` uniform in [0, π], before scaling; jitter is
    Gaussian with standard deviation ``3·noise``.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    positive = (n + 1) // 2
    t = rng.uniform(0.0, np.pi, n)
    upper = np.arange(n) < positive
    x = np.where(upper, np.cos(t), 1.0 - np.cos(t))
    y_coordinate = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    X = 3.0 * (np.column_stack([x, y_coordinate]) - [0.5, 0.25])
    X += rng.normal(0.0, 3.0 * noise, (n, 2)) if noise else 0.0
    return _shuffled(rng, X, upper.astype(float))


def train_test_split(
    X, y, test_fraction: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A seeded random split: ``X_train, X_test, y_train, y_test``; both parts get at least one point.

    The test part has ``round(test_fraction · n)`` points (kept between 1 and n − 1).
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X must have shape (n, d) and y shape (n,) with the same n; got {X.shape} and {y.shape}.")
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"Splitting needs at least 2 points; got {n}.")
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1; got {test_fraction!r}.")
    n_test = min(max(round(float(test_fraction) * n), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


# -- regression sets for the Neural net tab ----------------------------------------------------
# Inputs uniform in the box [−6, 6]² (as the two-class sets), targets of order one: the same
# scale as TensorFlow Playground's regression data, so the linear head + mean squared error
# trains at the learning rates that suit the classification sets.  ``noise`` ≥ 0 is the standard
# deviation of Gaussian noise added to each target.


def plane(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A tilted plane: ``target = (x₁ + x₂) / 12`` (between −1 and 1 in the box) plus noise."""
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-6.0, 6.0, (n, 2))
    target = (X[:, 0] + X[:, 1]) / 12.0
    if noise:
        target = target + rng.normal(0.0, noise, n)
    return X, target


#: the bumps of :func:`multi_gaussian`: (x₁, x₂) of each centre and its sign
GAUSSIAN_BUMPS = (
    (-4.0, 2.5, 1.0),
    (0.0, 2.5, -1.0),
    (4.0, 2.5, 1.0),
    (-4.0, -2.5, -1.0),
    (0.0, -2.5, 1.0),
    (4.0, -2.5, -1.0),
)
#: the width (standard deviation) of each bump
GAUSSIAN_BUMP_WIDTH = 1.2


def multi_gaussian(n: int = 250, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Six round bumps of alternating sign on a 3 × 2 grid (see ``GAUSSIAN_BUMPS``), plus noise.

    ``target = Σ sign_k · exp(−|x − c_k|² / (2·1.2²))``: about ±1 at a centre, 0 far from all of them.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-6.0, 6.0, (n, 2))
    target = np.zeros(n)
    for cx, cy, sign in GAUSSIAN_BUMPS:
        squared = (X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2
        target += sign * np.exp(-squared / (2.0 * GAUSSIAN_BUMP_WIDTH**2))
    if noise:
        target = target + rng.normal(0.0, noise, n)
    return X, target


# -- clusters for the Clusters tab --------------------------------------------------------------
def blobs(n: int = 150, centers=3, spread: float = 0.6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Round Gaussian clusters: ``X`` (n, 2) and the true cluster of each point, ints ``0 … k−1``.

    ``centers`` is either a number ``k`` — the centres are then spaced evenly on
    a circle of radius 4 around the origin, turned by a seeded random angle, so
    they never overlap — or an array of centres of shape ``(k, 2)``.  ``spread``
    is each cluster's standard deviation.  Points are split as evenly as possible.
    """
    n = _check_n(n)
    rng = np.random.default_rng(seed)
    if np.ndim(centers) == 0:
        if isinstance(centers, bool) or not isinstance(centers, (int, np.integer)) or centers < 1:
            raise ValueError(f"centers must be a whole number of clusters ≥ 1 or an array (k, 2); got {centers!r}.")
        k = int(centers)
        angle = rng.uniform(0.0, 2 * np.pi) + 2 * np.pi * np.arange(k) / k
        centres = 4.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    else:
        centres = np.asarray(centers, dtype=float)
        if centres.ndim != 2 or centres.shape[1] != 2 or centres.shape[0] < 1 or not np.isfinite(centres).all():
            raise ValueError(f"centers must be a finite array of shape (k, 2); got shape {centres.shape}.")
    spread = _check_noise(spread, "spread")
    labels = np.arange(n) % len(centres)
    X = centres[labels] + rng.normal(0.0, spread, (n, 2))
    order = rng.permutation(n)
    return X[order], labels[order]


def uniform_noise(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points spread evenly over the square [−5, 5]²: no groups at all (k-means still cuts it into k).

    Returns ``X`` (n, 2) and labels that are all 0 (there is one "group": everything).
    """
    n = _check_n(n)
    rng = np.random.default_rng(seed)
    return rng.uniform(-5.0, 5.0, (n, 2)), np.zeros(n, dtype=int)


def long_clusters(n: int = 300, spread: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two long, thin, parallel groups: centred on y = +1.5 (group 0) and y = −1.5 (group 1).

    Along x each is Gaussian with standard deviation 2.5; across (y) with standard
    deviation ``spread``.  k-means with k = 2 prefers to cut them left | right (that
    lowers the sum of squared distances more than top | bottom), so it misses the
    groups a person sees.  Labels are the true group.
    """
    n, spread = _check_n(n), _check_noise(spread, "spread")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    X = np.column_stack([rng.normal(0.0, 2.5, n), np.where(labels == 0, 1.5, -1.5) + rng.normal(0.0, spread, n)])
    order = rng.permutation(n)
    return X[order], labels[order]


def rings(n: int = 300, spread: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric rings, radius 1.5 (group 0, a third of the points) and 4.5 (group 1).

    The radius of each point is jittered by a Gaussian of standard deviation
    ``spread``.  No placement of k centres separates the rings: k-means cuts them
    into wedges.  Labels are the ring.
    """
    n, spread = _check_n(n), _check_noise(spread, "spread")
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 3 != 0).astype(int)
    radius = np.where(labels == 0, 1.5, 4.5) + rng.normal(0.0, spread, n)
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    order = rng.permutation(n)
    return X[order], labels[order]


def smiley(n: int = 400, spread: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A smiling face: its outline (group 0, a circle of radius 5), two eyes (groups 1 and 2, round
    blobs at (∓1.8, 1.8)) and a mouth (group 3, an arc of radius 3 below the centre).

    The outline gets 45 % of the points, each eye 12.5 %, the mouth the rest; each
    point is jittered by a Gaussian of standard deviation ``spread`` (the eyes are
    blobs of twice that).  Labels are the part of the face.
    """
    n, spread = _check_n(n), _check_noise(spread, "spread")
    rng = np.random.default_rng(seed)
    counts = [round(0.45 * n), round(0.125 * n), round(0.125 * n)]
    counts.append(n - sum(counts))
    parts = []
    angle = rng.uniform(0.0, 2 * np.pi, counts[0])
    parts.append(5.0 * np.column_stack([np.cos(angle), np.sin(angle)]))
    for x in (-1.8, 1.8):
        parts.append(rng.normal(0.0, 2 * spread + 0.2, (counts[len(parts)], 2)) + [x, 1.8])
    angle = rng.uniform(np.radians(205), np.radians(335), counts[3])
    parts.append(3.0 * np.column_stack([np.cos(angle), np.sin(angle)]) + [0.0, 0.2])
    X = np.concatenate(parts)
    X[: counts[0]] += rng.normal(0.0, spread, (counts[0], 2))
    X[-counts[3] :] += rng.normal(0.0, spread, (counts[3], 2))
    labels = np.repeat(np.arange(4), counts)
    order = rng.permutation(n)
    return X[order], labels[order]


#: :func:`cats_and_dogs`: the two features (with their units) and the names of the groups
CATS_AND_DOGS_FEATURES = ("weight (kg)", "ear length (cm)")
ANIMALS = ("cat", "dog")


def cats_and_dogs(n: int = 200, spread: float = 1.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The primer's example: animals described by two features, weight (kg) and ear length (cm).

    Half are cats (label 0): weight ≈ 4.5 ± 1 kg, ears ≈ 6.5 ± 0.8 cm; half are dogs
    (label 1): weight ≈ 14 ± 4 kg, ears ≈ 10.5 ± 2 cm (Gaussian, independent; the
    standard deviations are multiplied by ``spread``; weights at least 1 kg, ears at
    least 3 cm).  A clustering is given only ``X``: which group is "cats" is for a
    person to decide afterwards.  Returns ``X`` (n, 2) in those units and the animal.
    """
    n, spread = _check_n(n), _check_noise(spread, "spread")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    dog = labels == 1
    weight = np.where(dog, 14.0, 4.5) + rng.normal(0.0, 1.0, n) * np.where(dog, 4.0, 1.0) * spread
    ears = np.where(dog, 10.5, 6.5) + rng.normal(0.0, 1.0, n) * np.where(dog, 2.0, 0.8) * spread
    X = np.column_stack([np.maximum(weight, 1.0), np.maximum(ears, 3.0)])
    order = rng.permutation(n)
    return X[order], labels[order]


# -- housing with features on very different scales (the feature-scaling lesson) -------------
#: names of :func:`housing`'s two features, in the units of the numbers, and of its target
HOUSING_FEATURE_LABELS = ("size (m²)", "age (years)")
HOUSING_TARGET_LABEL = "price (1000 €)"


def housing(n: int = 50, noise: float = 20.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Houses described by two features of very different scales, for the feature-scaling lesson.

    Column 0: size in m², uniform 50–250; column 1: age in years, uniform 0–100.
    Price in thousands of euros ≈ 50 + 2.5·size − 1.2·age plus Gaussian noise of
    standard deviation ``noise``.  The features' magnitudes differ (≈150 vs ≈50)
    and both sit far from 0, so unscaled gradient descent needs a tiny learning
    rate and crawls along a long narrow valley; standardising them fixes that.
    Returns ``X`` (n, 2) in the units above and the price, shape ``(n,)``.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    size = rng.uniform(50.0, 250.0, n)
    age = rng.uniform(0.0, 100.0, n)
    price = 50.0 + 2.5 * size - 1.2 * age + rng.normal(0.0, noise, n)
    return np.column_stack([size, age]), price


# -- houses by size and bedrooms (the Many features tab) ---------------------------------------
#: names of :func:`houses_with_bedrooms`'s two features, in the units of the numbers, and of its target
BEDROOM_HOUSE_FEATURE_LABELS = ("size (m²)", "bedrooms")
BEDROOM_HOUSE_TARGET_LABEL = "price (1000 €)"


def houses_with_bedrooms(n: int = 40, noise: float = 25.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Houses described by their size and their number of bedrooms: two inputs on very different scales.

    Column 0: size in m², uniform 50–250.  Column 1: bedrooms, a whole number from 1 to 6 that tends
    to grow with the size (``1 + size/90`` plus Gaussian noise of standard deviation 1, rounded and
    clipped; the two correlate at about 0.6, as real houses do).  Price in thousands of euros
    ≈ 40 + 2.2·size + 12·bedrooms plus Gaussian noise of standard deviation ``noise``.

    The sizes are in the hundreds and the bedrooms in ones, and both sit far from 0, so without
    feature scaling the loss is a long narrow valley and gradient descent needs a tiny learning rate.
    Returns ``X`` (n, 2) in the units above and the price, shape ``(n,)``.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    size = rng.uniform(50.0, 250.0, n)
    bedrooms = np.clip(np.round(1.0 + size / 90.0 + rng.normal(0.0, 1.0, n)), 1.0, 6.0)
    price = 40.0 + 2.2 * size + 12.0 * bedrooms + rng.normal(0.0, noise, n)
    return np.column_stack([size, bedrooms]), price


# -- a few noisy points from a smooth curve (the Overfitting tab) --------------------------------
def wavy_curve_truth(x) -> np.ndarray:
    """The smooth curve :func:`wavy_curve` draws its points from: ``sin(2πx)``."""
    return np.sin(2.0 * np.pi * np.asarray(x, dtype=float))


def wavy_curve(n: int = 20, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy points from one period of a sine: x spread evenly over [0, 1], y = sin(2πx) + noise.

    Each x is drawn inside its own slice of [0, 1] (slice ``i`` is ``[i/n, (i+1)/n]``, 10 % kept
    clear at either side), so the points cover the interval without clumps or wide gaps: a
    flexible model's wiggles then come from the noise, not from an empty stretch.  The noise is
    Gaussian with standard deviation ``noise``.  Points come in random order.  Returns ``X`` (n, 1)
    and ``y`` (n,).
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    x = (np.arange(n) + rng.uniform(0.1, 0.9, n)) / n
    y = wavy_curve_truth(x) + rng.normal(0.0, noise, n)
    order = rng.permutation(n)
    return x[order].reshape(-1, 1), y[order]


def holdout_mask(x, fraction: float = 0.4, seed: int = 0) -> np.ndarray:
    """Which points to hold out for validation: a boolean mask, True for a validation point.

    ``round(fraction · n)`` points (at least 1, and at most n − 2) are drawn at random from those
    strictly inside the range of ``x``: the smallest and the largest x stay in training, so the
    validation points ask a model to interpolate between points it has seen, never to extrapolate
    beyond them (where any polynomial runs away).  Fewer than 3 points: none is held out.
    """
    x = np.asarray(x, dtype=float).ravel()
    if not np.isfinite(x).all():
        raise ValueError("x contains NaN or infinite values; fix those points first.")
    try:
        fraction = float(fraction)
    except (TypeError, ValueError):
        raise ValueError(f"fraction must be a number between 0 and 1; got {fraction!r}.") from None
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction must be strictly between 0 and 1; got {fraction!r}.")
    n = x.size
    mask = np.zeros(n, dtype=bool)
    if n < 3:
        return mask
    inside = np.setdiff1d(np.arange(n), [int(np.argmin(x)), int(np.argmax(x))])
    count = min(max(round(fraction * n), 1), n - 2, inside.size)
    mask[np.random.default_rng(seed).permutation(inside)[:count]] = True
    return mask
