"""The checks that what the public reads matches the records it is rebuilt from.

Each app that projects records for its pages registers a check in its AppConfig.ready();
`verify_record` runs them all after verifying the log itself.
"""

from collections.abc import Callable

Check = Callable[[], tuple[str, list[str]]]  # () -> (what was checked, the problems found)
_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def run() -> list[tuple[str, list[str]]]:
    return [check() for check in _checks]
