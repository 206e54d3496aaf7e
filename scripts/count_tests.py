#!/usr/bin/env python3
"""Sums doctest test cases over meson test logs and prints `N passed, N failed`.

Usage: count_tests.py BUILD_DIR...   Reads BUILD_DIR/meson-logs/testlog.json (one JSON object
per meson test). A test whose output has doctest's closing line
`[doctest] test cases: N | N passed | N failed | ...` contributes those counts; any other
test (a script, or a doctest binary that crashed before its summary) counts as one case,
passed or failed by its meson result. A build dir without a log counts as one failed case.
Exit status: 0 iff nothing failed.
"""
import json
import re
import sys

SUMMARY = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
GOOD = {"OK", "EXPECTEDFAIL", "SKIP"}


def count(build_dir):
    passed = failed = 0
    try:
        with open(f"{build_dir}/meson-logs/testlog.json", encoding="utf-8") as f:
            lines = [l for l in f if l.strip()]
    except OSError:
        print(f"count_tests: no test log in {build_dir} (did the build fail?)", file=sys.stderr)
        return 0, 1
    for line in lines:
        test = json.loads(line)
        found = SUMMARY.findall((test.get("stdout") or "") + (test.get("stderr") or ""))
        ok = test.get("result") in GOOD
        if found:
            p = sum(int(m[1]) for m in found)
            n = sum(int(m[2]) for m in found)
            if not ok and n == 0:
                n = 1  # exited badly (sanitizer report at exit, leak, timeout) though all cases passed
            passed, failed = passed + p, failed + n
        elif test.get("result") != "SKIP":
            passed, failed = passed + ok, failed + (not ok)
        if not ok:
            print(f"count_tests: {build_dir}: {test.get('name')} {test.get('result')}", file=sys.stderr)
    return passed, failed


def main():
    total_p = total_f = 0
    for d in sys.argv[1:]:
        p, f = count(d)
        print(f"{d}: {p} passed, {f} failed", file=sys.stderr)
        total_p, total_f = total_p + p, total_f + f
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main())
