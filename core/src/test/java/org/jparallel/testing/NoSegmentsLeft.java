package org.jparallel.testing;

import org.jparallel.internal.shm.SharedMemory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After each test (and after the test class's own {@code @AfterEach} methods, which may close what the test
 * opened), no shared-memory segment created by this JVM is left: {@code @ExtendWith(NoSegmentsLeft.class)}.
 */
public final class NoSegmentsLeft implements AfterEachCallback {

    private static final long PID = ProcessHandle.current().pid();

    @Override
    public void afterEach(ExtensionContext context) {
        assertNone(PID, "this JVM");
    }

    /** Asserts that no segment created by process {@code pid} (named {@code who} in the failure) is left. */
    public static void assertNone(long pid, String who) {
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(pid), "left by " + who);
    }
}
