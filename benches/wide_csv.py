#!/usr/bin/env python3
"""A wide CSV of N units for `rules/demo`, for measuring `tamga eval` and `tamga report` at scale
(docs/performance.md, "`report` at 100,000 units").

The 2023 sample answers of examples/demo are repeated, in order, until there are N rows; each row
gets a unique unit code (the sample's code and a number: AM000001, BY000002, …) and a name to
match. An answer the sample leaves missing (with a reason) is an empty cell: the wide form cannot
say why.

    python3 benches/wide_csv.py 100000 > big.csv
"""

import csv
import glob
import json
import os
import sys


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: wide_csv.py <units>  (the CSV goes to standard output)")
    units = int(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    files = sorted(glob.glob(os.path.join(here, "..", "examples", "demo", "*-2023.json")))
    if not files:
        sys.exit("no examples/demo/*-2023.json beside benches/")
    samples = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            samples.append(json.load(fh))
    questions = []
    for s in samples:
        for q in s["answers"]:
            if q not in questions:
                questions.append(q)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["unit", "period", "name"] + questions)
    for k in range(units):
        s = samples[k % len(samples)]
        name = s["name"]["en"] if isinstance(s["name"], dict) else s["name"]
        row = [f"{s['unit']}{k + 1:06d}", s["period"], f"{name} {k + 1}"]
        for q in questions:
            a = s["answers"].get(q)
            if a is None or isinstance(a, dict):
                row.append("")
            elif isinstance(a, bool):
                row.append("yes" if a else "no")
            else:
                row.append(str(a))
        out.writerow(row)


if __name__ == "__main__":
    main()
