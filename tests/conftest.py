"""Options of the test suite: ``--fuzz-long`` for the differential fuzz (tests/test_fuzz_*.py)."""

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
        for line in fuzz_support.summary_lines():
            terminalreporter.write_line(line)
