"""The load run's table in pytest's terminal summary (filled by test_load.py)."""

SUMMARIES: list[list[str]] = []


def pytest_terminal_summary(terminalreporter):
    for lines in SUMMARIES:
        terminalreporter.section("load")
        for line in lines:
            terminalreporter.write_line(line)
