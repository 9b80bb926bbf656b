"""Regimen for Python scripts: ``import regimen as rg``.

The same API as JavaScript's ``rg`` object, in Python's idiom::

    import regimen as rg
    data = rg.data.digits(normalize="zscore", validation=0.2)
    model = rg.sequential([rg.layer("dense", units=64), rg.layer("relu"), rg.layer("dense", units=10)])
    trainer = rg.trainer(loss="softmax_cross_entropy", optimizer=rg.optimizer("adam", lr=1e-3),
                         epochs=rg.param("epochs", 5), on_epoch_end=lambda e: print(e["epoch"], e["metrics"]))
    history = trainer.fit(model, data.train, data.validation)   # a dict: metric -> list per epoch

Keyword arguments become the options the host methods take (GraalPy does not pass keyword arguments
to Java), snake_case names work everywhere (``batch_size``, ``on_epoch_end``, ``multi_head``), results
come back as plain dicts and lists, script functions (callbacks, custom metrics and augmenters) get
plain dicts and lists too, and anything Regimen refuses is raised as ``RegimenError`` with Regimen's
message.

The host puts ``_api`` (the Regimen API) and ``_bridge`` into this module before running it.
"""

import polyglot as _polyglot

__all__ = ["RegimenError", "param"]


class RegimenError(Exception):
    """Regimen refused something: an unknown component, a bad option, bad data, a failed training."""


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _lookup(host, name):
    try:
        return getattr(host, name)
    except AttributeError:
        if "_" in name.strip("_"):
            return getattr(host, _camel(name))
        raise


class _Handle:
    """A Regimen object (a model, a data set, a trainer, ...); its methods take keyword arguments."""

    __slots__ = ("_h",)

    def __init__(self, host):
        object.__setattr__(self, "_h", host)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            value = _lookup(object.__getattribute__(self, "_h"), name)
        except _polyglot.ForeignException as e:
            raise _error(e) from None
        if callable(value) and not isinstance(value, (dict, list)):
            return _method(value, name, object.__getattribute__(self, "_h"))
        return _to_py(value)

    def __setattr__(self, name, value):
        raise AttributeError("Regimen objects are read-only")

    def __repr__(self):
        return str(object.__getattribute__(self, "_h"))

    __str__ = __repr__


def _method(fn, name, receiver):
    def call(*args, **kwargs):
        return _invoke(fn, args, kwargs, receiver, name)

    call.__name__ = name
    return call


def _error(e):
    return RegimenError(_bridge.describe(e))


# GraalPy's TypeError for a host call whose arguments fit no overload (their number or their kinds).
_REFUSED_CALL = "invalid instantiation of foreign object"


def _invoke(fn, args, kwargs, receiver=None, name=None):
    host_args = [_to_host(a) for a in args]
    if kwargs:
        host_args.append({k: _to_host(v) for k, v in kwargs.items()})
    try:
        result = fn(*host_args)
    except _polyglot.ForeignException as e:
        raise _error(e) from None
    except TypeError as e:
        if receiver is None or str(e) != _REFUSED_CALL:
            raise
        raise RegimenError(_bridge.badCall(receiver, name, host_args)) from None
    return _to_py(result)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric(value):
    """Whether a list looks like numbers or rows of numbers (batches, outputs): passed without a Python loop."""
    if not value:
        return False
    first = value[0]
    if _is_number(first):
        return True
    return isinstance(first, list) and bool(first) and _is_number(first[0])


def _to_host(value):
    """What the host takes: handles unwrapped, containers converted, functions adapted."""
    if isinstance(value, _Handle):
        return object.__getattribute__(value, "_h")
    if isinstance(value, list) and _numeric(value):
        return value
    if isinstance(value, (list, tuple)):
        return [_to_host(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_host(v) for k, v in value.items()}
    if callable(value) and not isinstance(value, (type, _polyglot.ForeignObject)):
        return _callback(value)
    return value


def _to_py(value):
    """What scripts get: plain dicts and lists, handles for Regimen objects."""
    if isinstance(value, _polyglot.ForeignObject):
        if isinstance(value, dict):
            return {k: _to_py(v) for k, v in value.items()}
        if isinstance(value, list):
            if value and _is_number(value[0]):
                return list(value)
            if value and isinstance(value[0], list) and value[0] and _is_number(value[0][0]):
                return [list(row) for row in value]
            return [_to_py(v) for v in value]
        if isinstance(value, type(None)):
            return None
        return _Handle(value)
    return value


def _callback(fn):
    """A script function the host can call: arguments come in as plain data, results go out as host data."""

    def adapter(*args):
        return _to_host(fn(*[_to_py(a) for a in args]))

    adapter.__name__ = getattr(fn, "__name__", "function")
    return adapter


def param(name, default=None):
    """A parameter from ``--set name=value``, converted to the type of ``default`` (int, float, bool, str)."""
    if default is None:
        return _invoke(_api.param, (name,), {})
    return _invoke(_api.param, (name, default, type(default).__name__), {})


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_Handle(_api), name)
