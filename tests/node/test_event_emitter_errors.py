# Rewritten from Node v20 test/parallel/test-event-emitter-errors.js
from __future__ import annotations

import re

import pytest

from anyio_net import EventEmitter

pytestmark = pytest.mark.node_port("test-event-emitter-errors.js")

# Node renders the value with util.inspect; Python uses repr(), and object.__repr__ when
# repr() itself raises (Node's "[object Object]").


def test_unhandled_non_error_values() -> None:
    ee = EventEmitter()

    with pytest.raises(Exception) as info:
        ee.emit("error", "Accepts a string")
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]
    assert str(info.value) == "Unhandled error. ('Accepts a string')"

    with pytest.raises(Exception) as info:
        ee.emit("error", {"message": "Error!"})
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]
    assert str(info.value) == "Unhandled error. ({'message': 'Error!'})"

    class Unprintable:
        message = "Error!"

        def __repr__(self) -> str:
            raise Exception()

    with pytest.raises(Exception) as info:
        ee.emit("error", Unprintable())
    assert info.value.code == "ERR_UNHANDLED_ERROR"  # type: ignore[attr-defined]
    assert re.fullmatch(
        r"Unhandled error\. \(<.*Unprintable object at 0x[0-9a-f]+>\)", str(info.value)
    )
