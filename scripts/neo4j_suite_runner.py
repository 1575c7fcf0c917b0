"""Runs testkit's live-server tests (tests/neo4j) and records each outcome.

Used by scripts/neo4j-suite.sh, which sets up the server, the driver's
testkit backend and the TEST_* environment. Arguments: the results file
(tab-separated: test id, outcome, first line of the message) and
optionally unittest name prefixes selecting tests (default: all of
tests.neo4j).

Each test counts once: a test whose subtests fail is failed, a test whose
every subtest was skipped is skipped.
"""

import sys
import traceback
import unittest


def first_line(text):
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def last_line(err):
    lines = "".join(traceback.format_exception(*err)).rstrip().splitlines()
    return lines[-1].strip()[:300] if lines else ""


class Outcome:
    def __init__(self):
        self.failure = None  # ("failed" | "error", message)
        self.skip = None
        self.sub_passed = 0
        self.sub_skipped = 0

    def fail(self, kind, message):
        if self.failure is None or (kind == "error"
                                    and self.failure[0] == "failed"):
            self.failure = (kind, message)

    def verdict(self):
        if self.failure:
            return self.failure
        if self.skip is not None:
            return ("skipped", self.skip)
        if self.sub_skipped and not self.sub_passed:
            return ("skipped", "every subtest was skipped")
        return ("passed", "")


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def outcome(self, test):
        parent = getattr(test, "test_case", test)
        return self.outcomes.setdefault(parent.id(), Outcome())

    def startTest(self, test):
        super().startTest(test)
        self.outcome(test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcome(test).fail("failed", last_line(err))

    def addError(self, test, err):
        super().addError(test, err)
        self.outcome(test).fail("error", last_line(err))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if getattr(test, "test_case", None) is not None:
            self.outcome(test).sub_skipped += 1
        else:
            self.outcome(test).skip = first_line(reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.outcome(test).fail("failed", "expected failure: "
                                + last_line(err))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            self.outcome(test).sub_passed += 1
        elif issubclass(err[0], test.failureException):
            self.outcome(test).fail(
                "failed", f"{subtest._subDescription()}: {last_line(err)}")
        else:
            self.outcome(test).fail(
                "error", f"{subtest._subDescription()}: {last_line(err)}")


def iter_tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from iter_tests(item)
        else:
            yield item


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: neo4j_suite_runner.py RESULTS.tsv [PREFIX...]")
    results_path = sys.argv[1]
    prefixes = [p if p.startswith("tests.") else "tests." + p
                for p in sys.argv[2:]] or ["tests.neo4j"]
    loader = unittest.TestLoader()
    discovered = loader.discover("tests.neo4j", top_level_dir=".")
    unique = {}
    for test in iter_tests(discovered):
        if isinstance(test, unittest.loader._FailedTest):
            sys.exit(f"cannot load {test.id()}: {test._exception}")
        unique.setdefault(test.id(), test)
    selected = [t for i, t in sorted(unique.items())
                if any(i == p or i.startswith(p + ".") for p in prefixes)]
    if not selected:
        sys.exit(f"no test matches {' '.join(prefixes)}")
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2,
                                     resultclass=RecordingResult)
    result = runner.run(unittest.TestSuite(selected))
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    with open(results_path, "w", encoding="utf-8") as out:
        for test in selected:
            record = result.outcomes.get(test.id())
            outcome, message = (record.verdict() if record else
                                ("error", "the test did not run"))
            counts["failed" if outcome == "error" else outcome] += 1
            message = message.replace("\t", " ").replace("\n", " ")
            out.write(f"{test.id()}\t{outcome}\t{message}\n")
    print(f"neo4j-suite: {counts['passed']} passed, {counts['failed']} failed,"
          f" {counts['skipped']} skipped")
    sys.exit(1 if counts["failed"] else 0)


if __name__ == "__main__":
    main()
