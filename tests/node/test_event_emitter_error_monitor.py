# Rewritten from Node v20 test/parallel/test-event-emitter-error-monitor.js
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from anyio_net import EventEmitter, error_monitor, once

pytestmark = [pytest.mark.node_port("test-event-emitter-error-monitor.js"), pytest.mark.anyio]


async def test_error_monitor_sees_every_error(must_call: Callable[..., Any]) -> None:
    with anyio.fail_after(5):
        ee = EventEmitter()
        the_err = Exception("MyError")

        def on_error_monitor(e: Exception) -> None:
            assert e is the_err

        ee.on(error_monitor, must_call(on_error_monitor, 3))

        # Verify with no error listener
        with pytest.raises(Exception, match="MyError") as info:
            ee.emit("error", the_err)
        assert info.value is the_err

        # Verify with error listener
        def on_error(e: Exception) -> None:
            assert e is the_err

        ee.once("error", must_call(on_error))
        ee.emit("error", the_err)

        # Verify it works with once
        async with anyio.create_task_group() as tg:
            tg.start_soon(_emit_later, ee, the_err)
            with pytest.raises(Exception, match="MyError") as info:
                await once(ee, "notTriggered")
            assert info.value is the_err

        # Only error events trigger error monitor
        ee.on("aEvent", must_call())
        ee.emit("aEvent")


async def _emit_later(ee: EventEmitter, err: Exception) -> None:
    ee.emit("error", err)
