"""The colours of ``viz``'s network drawings and plots, so that a sign means the same in each.

Blue is positive and orange negative, as in TensorFlow Playground: weights in a network
drawing, the two classes of a decision boundary (score above or below the threshold), kernel
values in a filter grid. Blue and orange stay apart for colour-blind readers.
"""

POSITIVE = "#0877bd"  # blue: positive weights, class 1 / a score above the threshold
NEGATIVE = "#e8710a"  # orange: negative weights, class 0 / a score below it
ZERO = "#9e9e9e"  # grey: zero, or "not drawn"

# Classes 0, 1, 2, ...: orange and blue first, so two classes look the same with one output
# (its sign) as with two (their argmax); then matplotlib's tab10 order.
CLASSES = (
    NEGATIVE,
    POSITIVE,
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

# Lines of different things (optimizers, train/validation): distinct and not the background's.
LINES = ("#0877bd", "#e8710a", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
