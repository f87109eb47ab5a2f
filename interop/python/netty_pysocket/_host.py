"""Process-level glue for the embedding host: run a script / -c code / -m module like ``python3`` does.

The host (Netty.PySocket.Host) calls these on the process main thread with the GIL held; .NET calls made by the
script release the GIL themselves (pythonnet), so threads and signal handlers behave as in ``python3``.
"""
import os
import sys


def _finish(code):
    """What Py_FinalizeEx would do before exit: join non-daemon threads, run atexit, flush."""
    try:
        import threading
        threading._shutdown()
    except BaseException:
        pass
    try:
        import atexit
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    return code


def _exit_code(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF if code >= 0 else code & 0xFF
    try:
        print(code, file=sys.stderr)
    except BaseException:
        pass
    return 1


def _run(target):
    try:
        target()
    except SystemExit as exc:
        return _finish(_exit_code(exc))
    except BaseException:
        exc_type, exc, tb = sys.exc_info()
        # Hide the host's own frames (and runpy's), as `python3 script.py` shows only the script's.
        hidden = (os.path.realpath(__file__), "<frozen runpy>", getattr(sys.modules.get("runpy"), "__file__", None))
        while tb is not None and (tb.tb_frame.f_code.co_filename in hidden
                                  or os.path.realpath(tb.tb_frame.f_code.co_filename) == hidden[0]):
            tb = tb.tb_next
        sys.excepthook(exc_type, exc.with_traceback(tb), tb)  # 3.11 prints exc.__traceback__, not tb
        return _finish(1)
    return _finish(0)


def run_script(path, args):
    import runpy
    path = os.fspath(path)
    sys.argv[:] = [path] + list(args)
    sys.orig_argv = [sys.executable, path] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    return _run(lambda: runpy.run_path(path, run_name="__main__"))


def run_module(name, args):
    import runpy
    sys.argv[:] = [name] + list(args)
    sys.orig_argv = [sys.executable, "-m", name] + list(args)
    sys.path.insert(0, os.getcwd())
    return _run(lambda: runpy._run_module_as_main(name, alter_argv=True))


def run_code(code, args):
    sys.argv[:] = ["-c"] + list(args)
    sys.orig_argv = [sys.executable, "-c", code] + list(args)
    sys.path.insert(0, "")
    main = sys.modules["__main__"]

    def target():
        exec(compile(code, "<string>", "exec"), main.__dict__)
    return _run(target)
