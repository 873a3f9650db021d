"""Options of the test suite: ``--fuzz-long`` for the differential fuzz (tests/test_fuzz_*.py).

``CHAINRULE_FUZZ_REPORT=path`` also writes the long run's table to ``path``.
"""

import os

import fuzz_support


def pytest_addoption(parser):
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        default=False,
        help="differential fuzz: many random examples per family (CHAINRULE_FUZZ_EXAMPLES=N "
        "sets the count), mismatches counted, a summary table at the end",
    )


def pytest_configure(config):
    if config.getoption("--fuzz-long"):
        fuzz_support.LONG = True


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In long mode, the table of cases and mismatches per family (and pending known ones)."""
    if fuzz_support.LONG and fuzz_support.STATS:
        terminalreporter.section("differential fuzz against torch")
        lines = fuzz_support.summary_lines()
        for line in lines:
            terminalreporter.write_line(line)
        report = os.environ.get("CHAINRULE_FUZZ_REPORT")
        if report:
            with open(report, "w") as file:
                file.write("\n".join(lines) + "\n")
