"""A multi-layer perceptron (a small neural network) trained by backpropagation.

The network maps a point ``x`` through layers ``h₀ = x``,
``h_k = f_k(h_{k−1} @ W_k + b_k)``, with ``W_k`` of shape ``(fan_in, fan_out)``;
hidden layers use ``activation``, the last one ``output_activation``.  The
objective, exactly (a mean over points, penalties on weights only, never biases)::

    L = mean(data_loss) + l2·Σ_k ΣW_k² + l1·Σ_k Σ|W_k|

with one of three output heads:

* ``output_activation="sigmoid"``, ``loss="cross_entropy"``: labels 0/1; the
  binary cross-entropy of ``sigmoid(z)`` computed from the logit ``z``;
* ``"linear"``, ``"mse"``: regression, ``mean((a_L − y)²)``;
* ``"tanh"``, ``"mse"``: labels ±1, ``mean((a_L − y)²)`` (TensorFlow Playground's set-up).

L2 joins the gradient (``2·l2·W``); L1 is a proximal soft-threshold step after
the gradient step (:mod:`.regularizers`), so weights can reach exact zero.

Initial weights are drawn from their own generator seeded with ``seed`` (so they
depend on nothing else): Glorot/Xavier-uniform, ``U(±√(6/(fan_in+fan_out)))``,
for layers whose activation is linear, sigmoid or tanh; He-uniform,
``U(±√(6/fan_in))``, for the ReLU family (relu, leaky_relu, elu, gelu, softplus);
biases zero.  The shuffle uses the trainer's other generator, as every trainer does.

Why it is laid out as it is — speed.  These networks are tiny, so the cost of a
step is the number of NumPy calls, not the arithmetic.  Internally:

* all parameters live in one flat vector; layer ``k`` is a view of it of shape
  ``(fan_out, fan_in + 1)`` holding ``[W_kᵀ | b_k]``, so the bias is folded into
  the weights and the update of the whole network is one subtraction;
* points are *columns*: each activation buffer has shape ``(size + 1, batch)``
  whose last row is all ones (the bias input), so a layer's forward pass is one
  ``np.dot`` plus one activation, and its weight-and-bias gradient is one ``np.dot``;
* every buffer is preallocated per batch size and written with ``out=``;
  constants that ufuncs take are 0-d arrays (a Python float is converted on every call);
* the training data is kept as rows ``[x | 1]``, so a batch is a contiguous block whose
  transpose is the input buffer (two ``np.dot`` of the first layer are faster so);
* :meth:`MLP.run` folds ``learning_rate / batch`` into the output error, shuffles
  and gathers the data once per epoch into a buffer whose batches are views made
  once (:class:`_BatchPlan`), and checks divergence with one dot product per step,
  falling back to the exact :meth:`~primer_gui.core.trainer.Trainer.step` for any
  step it is unsure of.

``step()`` and ``run()`` share the same forward/backward code
(:class:`_Workspace`); they differ only in where the learning rate is multiplied
in, so ``run(k)`` ends where ``k`` calls of ``step()`` end up to rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from .activations import Activation, get_activation
from .losses import binary_cross_entropy_from_logits, mse
from .regularizers import PenaltyStrengths, penalty, penalty_gradient, soft_threshold
from .trainer import Params, StepReport, Trainer, as_features, as_targets

#: the supported (output_activation, loss) pairs and the labels each expects
HEADS = {
    ("sigmoid", "cross_entropy"): "class labels 0 or 1",
    ("linear", "mse"): "any finite numbers",
    ("tanh", "mse"): "class labels −1 or +1",
}

#: constants as 0-d arrays: a ufunc takes one faster than a Python float, which it converts on every call
_HALF, _ONE = np.array(0.5), np.array(1.0)

#: workspaces kept per trainer (one per batch size seen); a data set that keeps growing would otherwise leak
_MAX_WORKSPACES = 6


@dataclass(frozen=True)
class DecisionGrid:
    """The network evaluated on a ``resolution × resolution`` grid of input points.

    ``xs`` and ``ys`` (each ``(resolution,)``) are the grid's coordinates along the
    first and second input.  Every map is indexed ``[i, j]`` = the value at the
    point ``(xs[j], ys[i])`` — rows follow ``y``, as in an image whose origin is
    at the bottom left.

    ``output`` ``(resolution, resolution)``: the network's output ``a_L`` — the
    probability of class 1 for the sigmoid head, the value for the linear and
    tanh heads.  ``neurons``: one array per hidden layer, of shape
    ``(units, resolution, resolution)``, each hidden neuron's own activation map.
    """

    xs: np.ndarray
    ys: np.ndarray
    output: np.ndarray
    neurons: list[np.ndarray]


class _Workspace:
    """Preallocated buffers and the forward/backward pass for one batch size.

    Points are columns.  ``hidden[k]`` has shape ``(units + 1, batch)`` with a last
    row of ones; rows ``:units`` hold the activations.  Layers whose activation
    needs the pre-activation for its derivative (gelu) keep it in a separate buffer.
    """

    def __init__(self, net: MLP, batch: int, training: bool = False):
        sizes = net.layer_sizes
        self.inputs = np.ones((sizes[0] + 1, batch))
        # training batches arrive as rows [x | 1] (see MLP._rows); step() gathers them here
        self.input_rows = np.ones((batch, sizes[0] + 1)) if training else None
        self.hidden = [np.ones((units + 1, batch)) for units in sizes[1:-1]]
        self.logits = np.empty((sizes[-1], batch))
        self.output = self.logits if net.output_activation == "linear" else np.empty((sizes[-1], batch))
        self.error = np.empty((sizes[-1], batch))
        self.scratch = np.empty((sizes[-1], batch))
        self._output_into = get_activation(net.output_activation).forward_into
        self._cross_entropy = net.loss_name == "cross_entropy"
        self._tanh_head = net.output_activation == "tanh"
        # The overflow probe (see gradient): with at least one bounded hidden layer (tanh, sigmoid), a logit
        # or a cross-entropy too large to be finite needs a weight whose square overflows, which run's check
        # of Σ params² already catches; otherwise the logits are probed.  The tanh head's loss is bounded.
        bounded = len(sizes) > 2 and net.activation in ("tanh", "sigmoid")
        self._probe_logits = self._cross_entropy and not bounded
        self._probe_errors = net.output_activation == "linear"
        self._logits_row, self._error_row = self.logits[0], self.error[0]

        # forward plan, per hidden layer: (its [Wᵀ | b] view, pre-activation buffer, kernel, activation rows, buffer)
        hidden_activation: Activation = net._hidden
        self.forward_plan = []
        for k, units in enumerate(sizes[1:-1]):
            buffer = self.hidden[k]
            values = buffer[:units]
            pre = values if hidden_activation.from_output else np.empty((units, batch))
            self.forward_plan.append((net._layers[k], pre, hidden_activation.forward_into, values, buffer))

        # backward plan, per hidden layer k = L−1 … 1: (layer above's [Wᵀ | b]ᵀ, buffer for it times δ above,
        # this layer's δ rows, derivative kernel and what it reads, scratch, this layer's gradient view, input rowsᵀ)
        self.backward_plan = []
        for k in range(len(sizes) - 2, 0, -1):
            units = sizes[k]
            back = np.empty((units + 1, batch))  # the last row (towards the constant input) is never used
            if hidden_activation.name == "linear":
                derivative, source = None, None
            elif hidden_activation.from_output:
                derivative, source = hidden_activation.derivative_from_output_into, self.hidden[k - 1][:units]
            else:
                derivative, source = hidden_activation.derivative_into, self.forward_plan[k - 1][1]
            below = self.hidden[k - 2].T if k >= 2 else None  # None: the batch's inputs, given per call
            self.backward_plan.append(
                (
                    net._layers[k].T,
                    back,
                    back[:units],
                    derivative,
                    source,
                    np.empty((units, batch)),
                    net._gradient_layers[k - 1],
                    below,
                )
            )
        self._top = net._layers[-1]
        self._top_gradient = net._gradient_layers[-1]
        self._top_input = self.hidden[-1].T if self.hidden else None
        self.gradient = self._bind_gradient()

    def forward(self, inputs: np.ndarray) -> None:
        """Fill every hidden buffer and ``logits`` for ``inputs`` of shape ``(d + 1, batch)``."""
        h = inputs
        for layer, pre, activate, values, buffer in self.forward_plan:
            np.dot(layer, h, pre)
            activate(pre, values)
            h = buffer
        np.dot(self._top, h, self.logits)

    def evaluate(self, inputs: np.ndarray) -> None:
        """:meth:`forward`, then the network's ``output`` (the sigmoid's probability, tanh's value, …)."""
        self.forward(inputs)
        if self.output is not self.logits:
            self._output_into(self.logits, self.output)

    def _bind_gradient(self) -> Callable[[np.ndarray, np.ndarray, np.ndarray, Any], float]:
        """``gradient(inputs, inputs_t, targets, scale)``, with every buffer and branch bound once.

        A step of a small net is ~30 NumPy calls of ~0.3 µs each; looking up ~30
        attributes and branches per step on top of them cost ~10 %, so they are
        looked up here, once per workspace, and the pass reads closure cells.
        """
        forward_plan, backward_plan = tuple(self.forward_plan), tuple(self.backward_plan)
        top, logits, error, output, scratch = self._top, self.logits, self.error, self.output, self.scratch
        top_input, top_gradient = self._top_input, self._top_gradient
        logits_row, error_row = self._logits_row, self._error_row
        probe_logits, probe_errors = self._probe_logits, self._probe_errors
        cross_entropy, tanh_head = self._cross_entropy, self._tanh_head
        dot, multiply, subtract, tanh = np.dot, np.multiply, np.subtract, np.tanh

        def gradient(inputs: np.ndarray, inputs_t: np.ndarray, targets: np.ndarray, scale: Any) -> float:
            """Forward and backward pass: the gradient buffer gets ``∂(mean data loss)/∂params`` × learning rate.

            ``inputs`` has shape ``(d + 1, batch)`` with a last row of ones, ``inputs_t``
            is its transpose (the batch's rows ``[x | 1]``; both are given, as views, so
            that neither is made per call).  ``targets`` ``(1, batch)`` are in the head's
            form (:meth:`MLP._head_targets`): ``2y − 1`` for cross-entropy, ``y`` for mse.
            ``scale`` is :meth:`MLP._error_scale`: ``1/batch`` for cross-entropy, halved
            (see below), and ``2/batch`` for mse, times the learning rate (1 for
            :meth:`~MLP.step`, whose update multiplies it in later); a 0-d array, which a
            ufunc takes faster than a float.

            Returns an overflow probe, a number that is not finite whenever the batch's
            data loss is not, provided the parameters are finite with a finite sum of
            squares (it may overflow a little earlier): the summed squared logits or
            errors where needed (see ``__init__``), else 0.
            """
            h = inputs
            for layer, pre, activate, values, buffer in forward_plan:
                dot(layer, h, pre)
                activate(pre, values)
                h = buffer
            dot(top, h, logits)
            probe = 0.0
            if probe_logits:
                probe = float(dot(logits_row, logits_row))
            if cross_entropy:  # ∂/∂z = sigmoid(z) − y = ½·(tanh(z/2) − (2y − 1)), one ufunc fewer than sigmoid
                multiply(logits, _HALF, error)  # (the outer ½ is in scale)
                tanh(error, error)
                subtract(error, targets, error)
            elif tanh_head:  # ∂/∂z of (a − y)² with a = tanh(z) is 2·(a − y)·(1 − a²)
                tanh(logits, output)
                subtract(output, targets, error)
                multiply(output, output, scratch)
                subtract(_ONE, scratch, scratch)
                multiply(error, scratch, error)
            else:
                subtract(logits, targets, error)
            if probe_errors:
                probe = float(dot(error_row, error_row))
            multiply(error, scale, error)
            dot(error, inputs_t if top_input is None else top_input, top_gradient)
            delta = error
            for layer_t, back, below_delta, derivative, source, scratch_k, gradient_k, below in backward_plan:
                dot(layer_t, delta, back)
                if derivative is not None:
                    derivative(source, scratch_k)
                    multiply(below_delta, scratch_k, below_delta)
                delta = below_delta
                dot(delta, inputs_t if below is None else below, gradient_k)
            return probe

        return gradient


class _BatchPlan:
    """The training data as :meth:`MLP.run` walks it with one batch size, so that a step makes no new arrays.

    ``rows`` is the data's rows ``[x | 1]`` in this epoch's shuffled order
    (gathered once per epoch; the data itself, unshuffled, for a full batch,
    ``size`` None) and ``targets`` ``(1, n)`` the head's targets in that order.
    ``batch(cursor)`` gives the batch that starts at ``cursor`` as views of them:
    ``(inputs (d + 1, b), their rows (b, d + 1), targets (1, b), workspace, b,
    the cursor after it)``; contiguous rows make the first layer's two ``np.dot``
    faster than a slice of columns would.  The views are made once and stay
    valid while the buffers are refilled.
    """

    def __init__(self, rows: np.ndarray, targets: np.ndarray, size: int | None, workspace: Callable[[int], _Workspace]):
        self.source_rows, self.source_targets, self.size, self.n = rows, targets, size, rows.shape[0]
        if size is None:
            self.rows, self.targets = rows, targets.reshape(1, -1)
        else:
            self.rows, self.targets = np.empty_like(rows), np.empty((1, self.n))
        self.gathered: np.ndarray | None = None  # the order the buffers hold (a reference: orders are never mutated)
        self.batches: dict[int, tuple] = {}
        for start in range(0, self.n, size or self.n):
            self.batch(start, workspace)

    def batch(self, cursor: int, workspace: Callable[[int], _Workspace]) -> tuple:
        """The batch starting at ``cursor``, made on first use; ``workspace(b)`` is the workspace for ``b`` points."""
        batch = self.batches.get(cursor)
        if batch is None:
            stop = self.n if self.size is None else min(cursor + self.size, self.n)
            rows = self.rows[cursor:stop]
            batch = self.batches[cursor] = (
                rows.T,
                rows,
                self.targets[:, cursor:stop],
                workspace(stop - cursor),
                stop - cursor,
                stop % self.n,
            )
        return batch

    def gather(self, order: np.ndarray) -> None:
        """Fill the buffers with the data in ``order`` (a shuffled batch size only)."""
        np.take(self.source_rows, order, axis=0, out=self.rows)
        np.take(self.source_targets, order, out=self.targets[0])
        self.gathered = order


class MLP(PenaltyStrengths, Trainer):
    """A fully connected network; params ``W1, b1, …, WL, bL``.  See the module docstring."""

    hyperparameters = (
        "layer_sizes",
        "activation",
        "output_activation",
        "loss",
        "learning_rate",
        "batch_size",
        "l1",
        "l2",
        "seed",
    )

    def __init__(
        self,
        *,
        layer_sizes=(2, 4, 2, 1),
        activation: str = "tanh",
        output_activation: str = "sigmoid",
        loss: str = "cross_entropy",
        learning_rate: float = 0.03,
        batch_size: int | None = 10,
        l1: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
    ):
        self._layer_sizes = _check_layer_sizes(layer_sizes)
        self._hidden = get_activation(activation)
        get_activation(output_activation)
        if (output_activation, loss) not in HEADS:
            pairs = "; ".join(f"output_activation={a!r} with loss={b!r} ({labels})" for (a, b), labels in HEADS.items())
            raise ValueError(
                f"output_activation={output_activation!r} with loss={loss!r} is not supported; use one of: {pairs}."
            )
        self._output_activation = output_activation
        self._loss = loss
        # the flat parameter vector, its gradient, and the per-layer [Wᵀ | b] views of both
        shapes = [(fan_out, fan_in + 1) for fan_in, fan_out in pairwise(self._layer_sizes)]
        ends = np.cumsum([rows * columns for rows, columns in shapes])
        starts = ends - [rows * columns for rows, columns in shapes]

        def layer_views(vector: np.ndarray) -> list[np.ndarray]:
            return [vector[a:b].reshape(shape) for a, b, shape in zip(starts, ends, shapes, strict=True)]

        self._flat = np.zeros(ends[-1])
        self._gradient = np.zeros(ends[-1])
        self._layers = layer_views(self._flat)
        self._gradient_layers = layer_views(self._gradient)
        self._is_weight = np.ones(ends[-1], dtype=bool)  # False at the biases, which penalties never touch
        for layer in layer_views(self._is_weight):
            layer[:, -1] = False
        self._workspaces: dict[int, _Workspace] = {}
        self._batch_plans: dict[int | None, _BatchPlan] = {}
        self._rows: np.ndarray | None = None
        super().__init__(learning_rate=learning_rate, batch_size=batch_size, seed=seed)
        self.l1 = l1
        self.l2 = l2
        self._params = self._initial_params(None, None)

    # -- hyper-parameters ------------------------------------------------------------
    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Units per layer, inputs first; fixed for the life of the network (make a new MLP to change it)."""
        return self._layer_sizes

    @property
    def activation(self) -> str:
        return self._hidden.name

    @property
    def output_activation(self) -> str:
        return self._output_activation

    @property
    def loss_name(self) -> str:
        """The ``loss`` keyword: "cross_entropy" or "mse" (``loss()`` is the objective's value)."""
        return self._loss

    def hyperparameter_values(self) -> dict[str, Any]:
        """The base's, with the ``loss`` keyword as the loss's name.

        (On a trainer, ``loss`` is also the base's ``loss()`` method, which is what
        the base would otherwise read for that keyword.)
        """
        return {**super().hyperparameter_values(), "loss": self._loss}

    # -- parameters as the base sees them: views of the flat vector -----------------------
    @property
    def _params(self) -> Params:
        if not getattr(self, "_initialised", False):
            return {}
        params = {}
        for k, layer in enumerate(self._layers, start=1):
            params[f"W{k}"] = layer[:, :-1].T
            params[f"b{k}"] = layer[:, -1]
        return params

    @_params.setter
    def _params(self, arrays: Params) -> None:
        if not arrays:  # the base's constructor starts with no parameters
            self._initialised = False
            return
        expected = [f"{kind}{k}" for k in range(1, len(self._layers) + 1) for kind in ("W", "b")]
        if sorted(arrays) != sorted(expected):
            raise ValueError(f"An MLP of layer sizes {self._layer_sizes} has parameters {', '.join(expected)}.")
        for k, layer in enumerate(self._layers, start=1):
            weights, bias = np.asarray(arrays[f"W{k}"], dtype=float), np.asarray(arrays[f"b{k}"], dtype=float)
            if weights.shape != layer[:, :-1].T.shape or bias.shape != layer[:, -1].shape:
                raise ValueError(f"W{k} must have shape {layer[:, :-1].T.shape} and b{k} shape {layer[:, -1].shape}.")
            layer[:, :-1] = weights.T
            layer[:, -1] = bias
        self._initialised = True

    def _initial_params(self, X: Any, y: Any) -> Params:
        """Glorot- or He-uniform weights (see the module docstring), zero biases; depends only on ``seed``."""
        generator = np.random.default_rng(self.seed)
        params = {}
        for k, (fan_in, fan_out) in enumerate(pairwise(self._layer_sizes), start=1):
            is_output = k == len(self._layer_sizes) - 1
            relu_family = not is_output and self._hidden.relu_family
            limit = math.sqrt(6.0 / fan_in) if relu_family else math.sqrt(6.0 / (fan_in + fan_out))
            params[f"W{k}"] = generator.uniform(-limit, limit, size=(fan_in, fan_out))
            params[f"b{k}"] = np.zeros(fan_out)
        return params

    def reset(self) -> None:
        """Back to the initial weights and the start of the seeded shuffle (with or without data)."""
        super().reset()
        self._params = self._initial_params(None, None)

    # -- data --------------------------------------------------------------------------
    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X = self._as_inputs(X)
        y = as_targets(y, X.shape[0])
        if self._output_activation == "sigmoid":
            _check_labels(y, (0.0, 1.0), "With a sigmoid output (cross-entropy), class labels must be 0 or 1")
        elif self._output_activation == "tanh":
            _check_labels(y, (-1.0, 1.0), "With a tanh output, class labels must be −1 or +1")
        return X, y

    def set_data(self, X: Any, y: Any = None) -> None:
        """Replace the training data (see the base); also keeps it as rows ``[x | 1]`` (the bias input) for training."""
        super().set_data(X, y)
        self._rows = np.hstack([self.X, np.ones((self.n_points, 1))])
        self._batch_plans = {}

    def _as_inputs(self, X: Any) -> np.ndarray:
        d = self._layer_sizes[0]
        X = np.asarray(X, dtype=float) if isinstance(X, np.ndarray) else X
        if isinstance(X, np.ndarray) and X.ndim == 1 and d == 1:
            X = X.reshape(-1, 1)
        X = as_features(X)
        if X.shape[1] != d:
            raise ValueError(
                f"This network has {d} input(s) but X has {X.shape[1]} feature(s) per point; "
                f"give X shape (points, {d}) or build the network with layer_sizes starting at {X.shape[1]}."
            )
        return X

    # -- the objective (the exact path, used by step, loss and gradients) ------------------
    @property
    def _head_scale(self) -> float:
        """The constant in ``∂ mean(data_loss)/∂z = head_scale·(…)/n``: 1 for cross-entropy, 2 for mse."""
        return 1.0 if self._loss == "cross_entropy" else 2.0

    def _head_targets(self, y: np.ndarray) -> np.ndarray:
        """Targets as :meth:`_Workspace.gradient` takes them, ``(1, n)``: ``2y − 1`` for cross-entropy, else ``y``."""
        return (2.0 * y - 1.0 if self._loss == "cross_entropy" else y).reshape(1, -1)

    def _error_scale(self, batch: int, learning_rate: float = 1.0) -> np.ndarray:
        """``scale`` of :meth:`_Workspace.gradient`: ``head_scale·learning_rate/batch``, halved for cross-entropy."""
        scale = self._head_scale * learning_rate / batch
        return np.array(0.5 * scale if self._loss == "cross_entropy" else scale)

    def _workspace(self, batch: int) -> _Workspace:
        """The training workspace for a batch size (made once, kept for the next steps)."""
        workspace = self._workspaces.get(batch)
        if workspace is None:
            if len(self._workspaces) >= _MAX_WORKSPACES:
                self._workspaces.clear()
            workspace = self._workspaces[batch] = _Workspace(self, batch, training=True)
        return workspace

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        workspace = self._workspace(indices.size)
        rows = workspace.input_rows
        np.take(self._rows, indices, axis=0, out=rows)
        y = self.y[indices]
        workspace.gradient(rows.T, rows, self._head_targets(y), self._error_scale(indices.size))
        if self._loss == "cross_entropy":
            data_loss = binary_cross_entropy_from_logits(y, workspace.logits[0])
        else:
            data_loss = mse(y, workspace.output[0])
        loss = data_loss + penalty(self._flat[self._is_weight], self._l1, self._l2)
        gradients = {}
        for k, (layer, gradient) in enumerate(zip(self._layers, self._gradient_layers, strict=True), start=1):
            gradients[f"W{k}"] = gradient[:, :-1].T + penalty_gradient(layer[:, :-1].T, self._l2)
            gradients[f"b{k}"] = gradient[:, -1].copy()
        return loss, gradients

    def _objective_value(self, indices: np.ndarray) -> float:
        """The objective by a forward pass alone (no backward pass)."""
        workspace = self._workspace(indices.size)
        rows = workspace.input_rows
        np.take(self._rows, indices, axis=0, out=rows)
        workspace.evaluate(rows.T)
        y = self.y[indices]
        if self._loss == "cross_entropy":
            data_loss = binary_cross_entropy_from_logits(y, workspace.logits[0])
        else:
            data_loss = mse(y, workspace.output[0])
        return data_loss + penalty(self._flat[self._is_weight], self._l1, self._l2)

    def _updated(self, params: Params, gradients: Params, learning_rate: float) -> Params:
        """A gradient step on every parameter, then L1's soft threshold on the weights."""
        updated = {}
        for name, value in params.items():
            value = value - learning_rate * gradients[name]
            if self._l1 and name.startswith("W"):
                value = soft_threshold(value, learning_rate * self._l1)
            updated[name] = value
        return updated

    # -- the fast path -------------------------------------------------------------------
    def run(self, steps: int) -> StepReport | None:
        """``steps`` updates; returns the last one's report (``None`` for 0), stopping at a divergent step.

        All but the last update go through the fused loop of :meth:`_fast_steps`; a
        step it is unsure of (possible overflow) is redone by the exact
        :meth:`step`, which either commits it or reports the divergence.
        """
        self._require_data()
        steps = int(steps)
        if steps < 0:
            raise ValueError(f"steps must be ≥ 0; got {steps}.")
        if steps == 0:
            return None
        remaining = steps - 1
        while remaining:
            remaining -= self._fast_steps(remaining)
            if remaining:
                report = self.step()
                remaining -= 1
                if report.diverged:
                    return report
        return self.step()

    def _batch_plan(self) -> _BatchPlan:
        """The :class:`_BatchPlan` for the current batch size (``None`` key: full batch), made once per data set."""
        size = self._batch_size
        key = None if size is None or size >= self.n_points else size
        plan = self._batch_plans.get(key)
        if plan is None:
            if len(self._batch_plans) >= _MAX_WORKSPACES:
                self._batch_plans.clear()
            targets = self._head_targets(self.y)[0]
            plan = self._batch_plans[key] = _BatchPlan(self._rows, targets, key, self._workspace)
        return plan

    def _fast_steps(self, count: int) -> int:
        """Up to ``count`` updates with the same batches as :meth:`step`; returns how many were committed.

        Stops *before* committing a step whose loss or parameters may not be finite,
        with the parameters, the position in the epoch and the generator as they
        were before it.  Per step: the batch is a ready-made view of data gathered
        once per epoch (:class:`_BatchPlan`); the learning rate is folded into the
        output error, so the gradient buffer already holds ``learning_rate ×
        gradient``; the update is one subtraction on the flat vector (plus weight
        decay for L2 and a soft threshold for L1, both on weights only).
        """
        with np.errstate(all="ignore"):
            start_finite = math.isfinite(float(np.dot(self._flat, self._flat)))
        if not start_finite:
            return 0  # the overflow probes assume a finite Σ params² to start from; the exact path decides
        n = self.n_points
        learning_rate = self._learning_rate
        flat, gradient, previous = self._flat, self._gradient, np.empty_like(self._flat)
        decay = 1.0 - 2.0 * learning_rate * self._l2 * self._is_weight if self._l2 else None
        threshold = learning_rate * self._l1 * self._is_weight if self._l1 else None
        magnitude = np.empty_like(flat)
        rng, order, cursor = self._rng, self._order, self._cursor
        step_count, epoch_count = self.step_count, self.epoch_count
        plan = self._batch_plan()
        shuffle = plan.size is not None
        scales: dict[int, np.ndarray] = {}

        def scaled(cursor: int) -> tuple:
            """The batch at ``cursor``, with its error scale for this learning rate."""
            inputs, inputs_t, targets, workspace, size, next_cursor = plan.batch(cursor, self._workspace)
            if size not in scales:
                scales[size] = self._error_scale(size, learning_rate)
            return inputs, inputs_t, targets, workspace, scales[size], next_cursor

        batches = {start: scaled(start) for start in plan.batches}
        if not shuffle:
            batches[cursor] = batches[0]  # full batch: every step is the whole data, wherever the cursor was left
        elif cursor and order is not None and plan.gathered is not order:  # resuming mid-epoch: gather its order
            plan.gather(order)
        dot, copyto, subtract, multiply, isfinite = np.dot, np.copyto, np.subtract, np.multiply, math.isfinite

        committed = 0
        with np.errstate(all="ignore"):
            for committed in range(count):  # noqa: B007 (the count is the result)
                start_cursor = cursor
                if shuffle and (cursor == 0 or order is None):
                    position = (order, rng.bit_generator.state)
                    order, cursor = rng.permutation(n), 0
                    plan.gather(order)
                batch = batches.get(cursor)
                if batch is None:  # a cursor off the plan's grid (the batch size changed mid-epoch)
                    batch = batches[cursor] = scaled(cursor)
                inputs, inputs_t, targets, workspace, batch_scale, cursor = batch
                copyto(previous, flat)
                probe = workspace.gradient(inputs, inputs_t, targets, batch_scale)
                if decay is not None:
                    multiply(flat, decay, flat)
                subtract(flat, gradient, flat)
                if threshold is not None:  # soft threshold: sign(w)·max(|w| − t, 0), t = 0 at the biases
                    np.abs(flat, magnitude)
                    subtract(magnitude, threshold, magnitude)
                    np.maximum(magnitude, 0.0, out=magnitude)
                    np.copysign(magnitude, flat, flat)
                if not isfinite(probe + dot(flat, flat)):
                    copyto(flat, previous)
                    if shuffle and start_cursor == 0:
                        order, rng.bit_generator.state = position
                        plan.gathered = None
                    cursor = start_cursor
                    break
                step_count += 1
                epoch_count += cursor == 0
            else:
                committed = count
        self._order, self._cursor = order, cursor
        self.step_count, self.epoch_count = step_count, int(epoch_count)
        return committed

    # -- what the tab shows ----------------------------------------------------------------
    def _evaluate(self, X: np.ndarray) -> _Workspace:
        """A fresh workspace holding the forward pass of ``X`` (validated); its arrays alias nothing live."""
        workspace = _Workspace(self, X.shape[0])
        workspace.inputs[:-1] = X.T
        workspace.evaluate(workspace.inputs)
        return workspace

    def forward(self, X: Any) -> list[np.ndarray]:
        """Every layer's activations for the points ``X``, input first: arrays of shape ``(n, units)``."""
        X = self._as_inputs(X)
        workspace = self._evaluate(X)
        hidden = [buffer[:-1].T for buffer in workspace.hidden]
        return [X, *hidden, workspace.output.T]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of class 1 for each point, shape ``(n,)`` (sigmoid head only)."""
        if self._output_activation != "sigmoid":
            raise ValueError(f"predict_proba needs the sigmoid output; this network's is {self._output_activation}.")
        return self._evaluate(self._as_inputs(X)).output[0]

    def predict(self, X: Any) -> np.ndarray:
        """Labels 0/1 (sigmoid head: probability above ½), ±1 (tanh head: the sign, 0 counted as +1), or values."""
        workspace = self._evaluate(self._as_inputs(X))
        if self._output_activation == "sigmoid":
            return (workspace.logits[0] > 0).astype(int)
        if self._output_activation == "tanh":
            return np.where(workspace.output[0] >= 0, 1, -1)
        return workspace.output[0]

    def decision_grid(self, x_range=(-6.0, 6.0), y_range=(-6.0, 6.0), resolution: int = 100) -> DecisionGrid:
        """The output and every hidden neuron's map over a grid of the (two) inputs; see :class:`DecisionGrid`."""
        if self._layer_sizes[0] != 2:
            raise ValueError(f"A decision grid needs a network with 2 inputs; this one has {self._layer_sizes[0]}.")
        xs, ys = _grid_axis(x_range, "x_range", resolution), _grid_axis(y_range, "y_range", resolution)
        workspace = _Workspace(self, resolution * resolution)
        workspace.inputs[0] = np.tile(xs, resolution)  # x varies along a row of the map ...
        workspace.inputs[1] = np.repeat(ys, resolution)  # ... y from row to row
        workspace.evaluate(workspace.inputs)
        shape = (resolution, resolution)
        neurons = [buffer[:-1].reshape(-1, *shape) for buffer in workspace.hidden]
        return DecisionGrid(xs=xs, ys=ys, output=workspace.output[0].reshape(shape), neurons=neurons)


def _check_layer_sizes(layer_sizes: Any) -> tuple[int, ...]:
    try:
        sizes = list(layer_sizes)
        whole = all(not isinstance(s, bool) and float(s).is_integer() and int(s) >= 1 for s in sizes)
    except (TypeError, ValueError):
        sizes, whole = [], False
    if not whole or len(sizes) < 2:
        raise ValueError(
            f"layer_sizes must list at least two whole numbers ≥ 1 (inputs, …, outputs); got {layer_sizes!r}."
        )
    if int(sizes[-1]) != 1:
        raise ValueError(f"The output layer must have 1 unit (one target per point); layer_sizes ends in {sizes[-1]}.")
    return tuple(int(s) for s in sizes)


def _check_labels(y: np.ndarray, allowed: tuple[float, float], sentence: str) -> None:
    bad = np.unique(y[~np.isin(y, allowed)])
    if bad.size:
        shown = ", ".join(f"{value:g}" for value in bad[:5]) + (", …" if bad.size > 5 else "")
        raise ValueError(f"{sentence}; got {shown}.")


def _grid_axis(bounds: Any, name: str, resolution: Any) -> np.ndarray:
    if isinstance(resolution, bool) or not float(resolution).is_integer() or int(resolution) < 2:
        raise ValueError(f"resolution must be a whole number ≥ 2; got {resolution!r}.")
    try:
        low, high = (float(value) for value in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be two numbers (low, high); got {bounds!r}.") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{name} must be finite with low < high; got ({low}, {high}).")
    return np.linspace(low, high, int(resolution))
