"""Prints the held-out NLU figures and fails below the target F1."""

import json
import sys

TARGET_F1 = 0.90

report = json.load(open(sys.argv[1]))
print(f"{'intent':<18}{'precision':>10}{'recall':>10}{'f1':>8}{'n':>6}")
for intent, row in sorted(report.items()):
    if isinstance(row, dict) and "f1-score" in row and intent not in ("macro avg", "weighted avg", "micro avg"):
        print(f"{intent:<18}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1-score']:>8.3f}{row['support']:>6}")
weighted = report["weighted avg"]["f1-score"]
macro = report["macro avg"]["f1-score"]
print(f"held-out intent F1: weighted {weighted:.3f}, macro {macro:.3f} (target {TARGET_F1})")
sys.exit(0 if weighted >= TARGET_F1 and macro >= TARGET_F1 else 1)
