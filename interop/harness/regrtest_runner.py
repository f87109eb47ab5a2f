"""Run CPython's regression tests (``python -m test``) and stream one JSON line per test outcome.

Used for both conformance configurations: ``python3 regrtest_runner.py EVENTS -- <regrtest args>`` (native) and
``Netty.PySocket.Host run regrtest_runner.py EVENTS -- <regrtest args>`` (embedded, with our ``_socket``/``select``).
It calls the same entry point as ``python -m test`` (``test.libregrtest.main.main``) with the given arguments; the
only addition is an observer on regrtest's result class that appends each outcome to EVENTS as it happens, so the
harness sees progress and keeps every finished result if the process hangs or crashes. Tests are not modified.
"""
import json
import os
import sys
import time
import traceback

events_path = sys.argv[1]
if len(sys.argv) < 3 or sys.argv[2] != "--":
    sys.exit("usage: regrtest_runner.py EVENTS -- regrtest-args...")
regrtest_args = sys.argv[3:]

_events = open(events_path, "a", encoding="utf-8", buffering=1)


def emit(**record):
    record["t"] = round(time.time(), 3)
    try:
        _events.write(json.dumps(record) + "\n")
        _events.flush()
    except Exception:
        pass


def _test_id(test):
    try:
        return test.id()
    except Exception:
        return str(test)


def _describe(err):
    exc_type, exc, tb = err
    if isinstance(exc_type, type):
        name = exc_type.__name__ if exc_type.__module__ == "builtins" else f"{exc_type.__module__}.{exc_type.__name__}"
    else:
        name = repr(exc_type)
    message = "".join(traceback.format_exception_only(exc_type, exc)).strip()
    # format_exception_only gives "Type: message"; keep the message part.
    prefix = exc_type.__qualname__ + ": " if isinstance(exc_type, type) else ""
    first = message.splitlines()[-1] if message else ""
    for p in (name + ": ", prefix):
        if p and first.startswith(p):
            first = first[len(p):]
            break
    else:
        if first in (name, getattr(exc_type, "__qualname__", None)):
            first = ""
    tb_text = "".join(traceback.format_exception(exc_type, exc, tb))
    return {"type": name, "message": first[:500], "traceback": tb_text[-4000:]}


def _install_observer():
    from test.libregrtest import testresult
    cls = testresult.RegressionTestResult
    state = {}

    def wrap(method_name, outcome, with_err=False):
        original = getattr(cls, method_name)

        def method(self, test, *args):
            tid = _test_id(test)
            record = {"event": "result", "id": tid, "outcome": outcome}
            if with_err and args:
                if outcome == "skip":
                    record["message"] = str(args[0])[:500]
                else:
                    record.update(_describe(args[0]))
            state[tid] = True
            emit(**record)
            return original(self, test, *args)
        setattr(cls, method_name, method)

    wrap("addSuccess", "pass")
    wrap("addFailure", "fail", True)
    wrap("addError", "error", True)
    wrap("addSkip", "skip", True)
    wrap("addExpectedFailure", "xfail", True)
    wrap("addUnexpectedSuccess", "xpass")

    original_start = cls.startTest

    def startTest(self, test):
        tid = _test_id(test)
        state.pop(tid, None)
        state["__failed_subtest__" + tid] = None
        emit(event="start", id=tid)
        return original_start(self, test)
    cls.startTest = startTest

    original_sub = cls.addSubTest

    def addSubTest(self, test, subtest, err):
        if err is not None:
            key = "__failed_subtest__" + _test_id(test)
            if state.get(key) is None:
                failure = issubclass(err[0], test.failureException)
                state[key] = dict(_describe(err), outcome="fail" if failure else "error")
        return original_sub(self, test, subtest, err)
    cls.addSubTest = addSubTest

    original_stop = cls.stopTest

    def stopTest(self, test):
        tid = _test_id(test)
        sub = state.pop("__failed_subtest__" + tid, None)
        if not state.get(tid):
            # A test whose subtests failed gets no addFailure/addError of its own.
            if sub is not None:
                emit(event="result", id=tid, **sub)
            else:
                emit(event="result", id=tid, outcome="error", type="NoOutcome", message="test ended without an outcome")
        state.pop(tid, None)
        return original_stop(self, test)
    cls.stopTest = stopTest


def main():
    emit(event="begin", argv=regrtest_args, pid=os.getpid(), socket_impl=_socket_impl())
    _install_observer()
    from test.libregrtest.main import main as regrtest_main
    sys.argv[:] = ["python -m test"] + regrtest_args
    code = 0
    try:
        regrtest_main(_add_python_opts=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        emit(event="end", exitcode=code)
        raise
    emit(event="end", exitcode=code)


def _socket_impl():
    mod = sys.modules.get("_socket")
    return getattr(mod, "__file__", "builtin") if mod is not None else "not loaded"


if __name__ == "__main__":
    main()
