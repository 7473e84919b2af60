# SPDX-License-Identifier: GPL-2.0
"""tmtest.py: what cli.py and prom.py share: a check that says why it
failed, and a decorator that runs a test at once and records its verdict
as a "TM-RESULT PASS|FAIL PREFIX/NAME[: why]" line."""


def expect(cond, why):
    if not cond:
        raise AssertionError(why)


def tester(prefix, results):
    def test(fn):
        try:
            fn()
            results.append(f"TM-RESULT PASS {prefix}/{fn.__name__}")
        except Exception as e:  # noqa: BLE001 - every failure is reported
            results.append(f"TM-RESULT FAIL {prefix}/{fn.__name__}: {e}")
        return fn
    return test
