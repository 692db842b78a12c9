"""scikit-learn's RandomForestClassifier(100 trees) on the matrices an evaluation script wrote: the comparison for
scripts/eval-*.mjs. Reads CSV with a header: feature columns, then `y` (class number), then `fold` (training file
only). Prints one JSON object: cross-validated accuracy over the given folds, and with --test the test accuracy after
training on all training rows, with training times in milliseconds. Missing values become -1 (trees split around it)."""
import argparse
import json
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def read(path):
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64)
    if data.ndim == 1:
        data = data.reshape(1, -1)
    return header, np.nan_to_num(data, nan=-1.0)


def forest(seed):
    return RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=seed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--test")
    args = parser.parse_args()
    header, train = read(args.train)
    y_at, fold_at = header.index("y"), header.index("fold")
    x, y, folds = train[:, :y_at], train[:, y_at].astype(int), train[:, fold_at].astype(int)
    right, train_ms = 0, 0.0
    for fold in sorted(set(folds.tolist())):
        model = forest(42)
        started = time.perf_counter()
        model.fit(x[folds != fold], y[folds != fold])
        train_ms += (time.perf_counter() - started) * 1000
        right += int((model.predict(x[folds == fold]) == y[folds == fold]).sum())
    result = {"cv_accuracy": right / len(y), "cv_train_ms": train_ms / len(set(folds.tolist()))}
    if args.test:
        _, test = read(args.test)
        model = forest(42)
        started = time.perf_counter()
        model.fit(x, y)
        result["train_ms"] = (time.perf_counter() - started) * 1000
        result["test_accuracy"] = float((model.predict(test[:, :y_at]) == test[:, y_at].astype(int)).mean())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
