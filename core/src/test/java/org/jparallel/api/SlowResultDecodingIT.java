package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A result is decoded off the thread that reads every worker's messages: while one result is still being
 * decoded (held here by a latch in its record's constructor, which decoding calls), another call's reply
 * arrives, and the pool takes new calls.
 */
class SlowResultDecodingIT {

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    /** Set in this JVM only: a {@link HeldAtDecode} built here waits for it. Null on the workers. */
    private static volatile CountDownLatch decodeGate;
    /** Counted down when a {@link HeldAtDecode} starts waiting for the gate. */
    private static final CountDownLatch DECODING = new CountDownLatch(1);

    /** A result whose decoding (its canonical constructor, in the kernel) waits for {@link #decodeGate}. */
    record HeldAtDecode(int value) {
        HeldAtDecode {
            CountDownLatch gate = decodeGate;
            if (gate != null) {
                DECODING.countDown();
                try {
                    gate.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void aResultSlowToDecodeHoldsUpNoOtherReply() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        decodeGate = gate;
        try {
            AsyncResult<HeldAtDecode> slow = POOL.get().applyAsync(() -> new HeldAtDecode(1));
            assertTrue(DECODING.await(60, TimeUnit.SECONDS), "the slow result never reached decoding");

            CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> POOL.get().apply(() -> 6 * 7));
            assertEquals(42, other.get(60, TimeUnit.SECONDS), "another call's reply waited for the slow decoding");
            assertFalse(slow.ready(), "the slow result is still being decoded");

            gate.countDown();
            decodeGate = null;
            assertEquals(1, slow.get(Duration.ofSeconds(60)).value());
        } finally {
            gate.countDown();
            decodeGate = null;
        }
    }
}
