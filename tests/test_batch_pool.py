"""The batch pool (service/batch_pool.py): batches run off the event loop, and a bounded number.

Real threads and a real event loop: a batch that blocks its worker leaves the loop free for
other coroutines, at most ``workers + queue`` batches are admitted, and one more is refused at
once; the admission count comes back down whether a batch returns or raises.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from service.batch_pool import BatchPool, BatchPoolFull


def test_batches_run_off_the_loop_and_the_pool_is_bounded() -> None:
    release = threading.Event()
    started = threading.Event()
    loop_thread: list[int] = []

    def slow_batch() -> int:
        started.set()
        assert release.wait(10), "never released"
        return threading.get_ident()

    async def scenario() -> None:
        loop_thread.append(threading.get_ident())
        pool = BatchPool(workers=1, queue=1)
        try:
            running = asyncio.create_task(pool.run(slow_batch))
            waiting = asyncio.create_task(pool.run(slow_batch))
            await asyncio.sleep(0)
            assert await asyncio.to_thread(started.wait, 10)
            assert pool.admitted == 2
            # the loop still answers while both batches are admitted
            assert await asyncio.wait_for(asyncio.sleep(0, result="free"), 1) == "free"
            with pytest.raises(BatchPoolFull, match="at most 1 running and 1 waiting"):
                await pool.run(slow_batch)
            assert pool.admitted == 2
            release.set()
            idents = await asyncio.gather(running, waiting)
            assert all(i != loop_thread[0] for i in idents)
            assert pool.admitted == 0
        finally:
            release.set()
            pool.close()

    asyncio.run(scenario())


def test_a_failing_batch_frees_its_place() -> None:
    def broken() -> None:
        raise ValueError("Record 3: bad")

    async def scenario() -> None:
        pool = BatchPool(workers=1, queue=0)
        try:
            with pytest.raises(ValueError, match="Record 3"):
                await pool.run(broken)
            assert pool.admitted == 0
            assert await pool.run(lambda: 7) == 7
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="workers >= 1"):
        BatchPool(workers=0, queue=1)
