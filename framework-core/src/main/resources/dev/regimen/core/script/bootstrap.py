# Runs a Python script for the Regimen script host; evaluating this file gives the function.
# It installs the `regimen` module, runs the script as __main__ with its folder on sys.path, and
# reports a failure as {type, message, file, line, regimen}, where the line is the innermost one of
# the script (GraalPy's polyglot stack frames carry no line numbers, Python's tracebacks do).
# It imports only built-in modules before the script starts: GraalPy runs the standard library's
# Python code in its interpreter, and `os` and `traceback` (with `re`, `enum`, `tokenize`, ...) cost
# seconds at each start, so those two are imported only when the script fails.
def _regimen_run(api, bridge, module_source, script_source, script_path, script_dir):
    import sys
    import polyglot

    module_type = type(sys)
    module = module_type("regimen")
    module.__dict__["_api"] = api
    module.__dict__["_bridge"] = bridge
    exec(compile(module_source, "<regimen>", "exec"), module.__dict__)
    sys.modules["regimen"] = module
    if script_dir not in sys.path:
        sys.path.insert(0, script_dir)
    main = module_type("__main__")
    main.__file__ = script_path
    sys.modules["__main__"] = main

    def where(error):
        import os
        import traceback
        frames = traceback.extract_tb(error.__traceback__)
        for frame in reversed(frames):
            if frame.filename == script_path:
                return frame.filename, frame.lineno
        for frame in reversed(frames):
            if frame.filename.startswith(script_dir + os.sep):
                return frame.filename, frame.lineno
        return script_path, 0

    try:
        code = compile(script_source, script_path, "exec")
        exec(code, main.__dict__)
    except SystemExit as e:
        if e.code in (None, 0):
            return None
        file, line = where(e)
        return {"type": "SystemExit", "message": "the script exited with " + str(e.code), "file": file,
                "line": line, "regimen": False}
    except SyntaxError as e:
        return {"type": type(e).__name__, "message": str(e.msg), "file": e.filename or script_path,
                "line": e.lineno or 0, "regimen": False}
    except BaseException as e:
        file, line = where(e)
        if isinstance(e, polyglot.ForeignException):
            return {"type": "RegimenError", "message": bridge.describe(e), "file": file, "line": line,
                    "regimen": True}
        regimen = isinstance(e, module.RegimenError)
        message = str(e) if regimen else (str(e) or type(e).__name__)
        return {"type": type(e).__name__, "message": message, "file": file, "line": line, "regimen": regimen}
    return None

_regimen_run
