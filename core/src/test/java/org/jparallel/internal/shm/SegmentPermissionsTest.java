package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedByteArray;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedObject;
import org.jparallel.api.SharedQueue;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Segments hold the user's data, so they are created readable and writable by their owner only (0600),
 * as Python's shared_memory does: every kind, and a real read by another user is refused.
 */
@ExtendWith(NoSegmentsLeft.class)
class SegmentPermissionsTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** One object of every kind of segment, by the name of its kind. */
    static Map<String, SharedObject> oneOfEachKind() {
        Map<String, SharedObject> all = new LinkedHashMap<>();
        all.put("int value", Shared.intValue(1));
        all.put("long value", Shared.longValue(1));
        all.put("double value", Shared.doubleValue(1));
        all.put("byte value", Shared.byteValue((byte) 1));
        all.put("raw value", Shared.rawValue('i', 1));
        all.put("int array", Shared.intArray(8));
        all.put("long array", Shared.longArray(8));
        all.put("double array", Shared.doubleArray(8));
        all.put("byte array", Shared.byteArray(8));
        all.put("raw array", Shared.rawArray('d', 8));
        all.put("lock", Shared.lock());
        all.put("rlock", Shared.rlock());
        all.put("semaphore", Shared.semaphore(1));
        all.put("bounded semaphore", Shared.boundedSemaphore(1));
        all.put("event", Shared.event());
        all.put("condition", Shared.condition());
        SharedLock lock = Shared.lock();
        all.put("lock given to a condition", lock);
        all.put("condition with a lock", Shared.condition(lock));
        all.put("barrier", Shared.barrier(2));
        all.put("queue", Shared.queue());
        all.put("joinable queue", Shared.joinableQueue());
        all.put("simple queue", Shared.simpleQueue());
        all.put("pipe", Shared.pipe());
        all.put("one-way pipe", Shared.pipe(false));
        return all;
    }

    static Path pathOf(SharedObject object) {
        return Path.of(((RealShared) object).descriptor().path());
    }

    @Test
    void everyKindOfSegmentIsCreatedReadableAndWritableByItsOwnerOnly() throws IOException {
        Map<String, SharedObject> all = oneOfEachKind();
        try {
            for (Map.Entry<String, SharedObject> e : all.entrySet()) {
                Path path = pathOf(e.getValue());
                assertEquals(OWNER_ONLY, Files.getPosixFilePermissions(path),
                        "the " + e.getKey() + " " + path.getFileName());
            }
            // the segment files this process created are exactly those: no file escaped the check
            assertEquals(all.size(), SharedMemory.segmentsCreatedBy(PID).size());
            for (Path path : SharedMemory.segmentsCreatedBy(PID)) {
                assertEquals(OWNER_ONLY, Files.getPosixFilePermissions(path), path.toString());
            }
        } finally {
            all.values().forEach(SharedObject::close);
        }
    }

    @Test
    void anotherUserCannotReadASharedByteArrayOrAQueuedSecret() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to act as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "needs runuser");
        assumeTrue(run("id", "-u", "nobody").exitCode == 0, "needs a user 'nobody'");
        try (SharedByteArray data = Shared.byteArray("card=4111111111111111".getBytes(StandardCharsets.US_ASCII));
             SharedQueue<String> queue = Shared.queue(0, 1 << 16)) {
            queue.put("password=hunter2");
            for (Path path : List.of(pathOf(data), pathOf(queue))) {
                Result asRoot = run("cat", path.toString());
                assertTrue(asRoot.out.contains("4111111111111111") || asRoot.out.contains("hunter2"),
                        "the owner reads it (the check below can fail): " + asRoot);
                Result asNobody = run("runuser", "-u", "nobody", "--", "cat", path.toString());
                assertNotEquals(0, asNobody.exitCode, asNobody.toString());
                assertTrue(asNobody.err.contains("Permission denied"), asNobody.toString());
                assertFalse(asNobody.out.contains("4111") || asNobody.out.contains("hunter2"), asNobody.toString());
            }
        }
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Result(process.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                new String(err, StandardCharsets.ISO_8859_1));
    }
}
