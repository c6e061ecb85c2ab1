package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedByteArray;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLongArray;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bytes of a segment as another process sees them: read straight from the file. */
@ExtendWith(NoSegmentsLeft.class)
class SegmentLayoutTest {

    private static final long PID = ProcessHandle.current().pid();

    private static ByteBuffer fileOf(Object shared) throws IOException {
        Path path = Path.of(((RealShared) shared).descriptor().path());
        return ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.nativeOrder());
    }

    @Test
    void aValueSegmentHasTheHeaderTheLockWordAndTheValueInOneCacheLine() throws IOException {
        try (SharedInt value = Shared.intValue(0x1234_5678)) {
            ByteBuffer file = fileOf(value);
            assertEquals(56, file.capacity(), "48 header bytes and an 8-byte value slot");
            assertEquals(Layout.MAGIC, file.getInt(0));
            assertEquals(Layout.VERSION, file.getInt(4));
            assertEquals(Kind.INT.code(), file.getInt(8));
            assertEquals(Layout.FLAG_LOCK | Layout.FLAG_REENTRANT, file.getInt(12));
            assertEquals(PID, file.getLong(16));
            assertEquals(1, file.getInt(24));
            assertEquals(0L, file.getLong(32), "lock free");
            assertEquals(0x1234_5678, file.getInt(48));

            value.getLock().acquire();
            value.getLock().acquire();
            file = fileOf(value);
            assertEquals(PID, file.getLong(32) >>> 32, "owner word: pid in the high half");
            assertEquals(Thread.currentThread().getId(), file.getLong(32) & 0xFFFF_FFFFL, "thread in the low half");
            assertEquals(1, file.getInt(40), "holds beyond the first");
            assertEquals(0, file.getInt(44), "no dead owner");
            value.getLock().release();
            value.getLock().release();
            assertEquals(0L, fileOf(value).getLong(32));
        }
    }

    @Test
    void arraysStartAt64AndAreSizedToTheirElements() throws IOException {
        try (SharedLongArray longs = Shared.longArray(new long[] {7, -1, Long.MAX_VALUE});
             SharedByteArray bytes = Shared.rawArray('b', 5)) {
            ByteBuffer file = fileOf(longs);
            assertEquals(64 + 3 * 8, file.capacity());
            assertEquals(Kind.LONG_ARRAY.code(), file.getInt(8));
            assertEquals(3, file.getInt(24));
            assertEquals(7, file.getLong(64));
            assertEquals(-1, file.getLong(72));
            assertEquals(Long.MAX_VALUE, file.getLong(80));

            bytes.set(4, (byte) -2);
            file = fileOf(bytes);
            assertEquals(72, file.capacity(), "5 bytes rounded up to 8 so the last word is whole");
            assertEquals(0, file.getInt(12), "raw: no lock flag");
            assertEquals(-2, file.get(68));
        }
    }

    @Test
    void aPlainLockIsNotReentrantAndAnRLockIs() throws IOException {
        try (SharedLock lock = Shared.lock(); SharedLock rlock = Shared.rlock()) {
            assertEquals(Kind.LOCK.code(), fileOf(lock).getInt(8));
            assertEquals(Layout.FLAG_LOCK, fileOf(lock).getInt(12));
            assertEquals(Kind.RLOCK.code(), fileOf(rlock).getInt(8));
            assertEquals(Layout.FLAG_LOCK | Layout.FLAG_REENTRANT, fileOf(rlock).getInt(12));
            assertEquals(48, fileOf(lock).capacity());
        }
    }

    @Test
    void segmentsAreNamedByTheCreatorsPidAndLiveInDevShm() {
        try (SharedInt value = Shared.intValue(1)) {
            Path path = Path.of(((RealShared) value).descriptor().path());
            if (Files.isDirectory(Path.of("/dev/shm"))) {
                assertEquals(Path.of("/dev/shm"), path.getParent());
            }
            assertTrue(path.getFileName().toString().startsWith("jparallel-shm-" + PID + "-" + SegmentFiles.TOKEN + "-"),
                    path.toString());
            assertEquals(List.of(path), SharedMemory.segmentsCreatedBy(PID));
        }
    }

    @Test
    void theDirectoryCanBeChosenAndTheTempDirectoryWorksToo(@TempDir Path dir) {
        System.setProperty(SegmentFiles.DIRECTORY_PROPERTY, dir.toString());
        try (SharedInt value = Shared.intValue(3)) {
            assertEquals(dir, Path.of(((RealShared) value).descriptor().path()).getParent());
            assertEquals(4, value.incrementAndGet());
            assertEquals(1, SegmentFiles.createdBy(dir, PID).size());
        } finally {
            System.clearProperty(SegmentFiles.DIRECTORY_PROPERTY);
        }
        assertEquals(List.of(), SegmentFiles.createdBy(dir, PID));
    }

    @Test
    void segmentsOfDeadCreatorsAndOfEarlierProcessesWithThisPidAreDeleted(@TempDir Path dir) throws Exception {
        long dead = SyncTesting.deadPid();
        Path ofDead = Files.createFile(dir.resolve("jparallel-shm-" + dead + "-0badf00d-1"));
        String otherToken = SegmentFiles.TOKEN.equals("0badf00d") ? "0badf00e" : "0badf00d";
        Path ofEarlierSelf = Files.createFile(dir.resolve("jparallel-shm-" + PID + "-" + otherToken + "-1"));
        Path ofSelf = Files.createFile(dir.resolve("jparallel-shm-" + PID + "-" + SegmentFiles.TOKEN + "-999999"));
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        Path ofLiving = Files.createFile(dir.resolve("jparallel-shm-" + parent + "-0badf00d-1"));
        Path unrelated = Files.createFile(dir.resolve("jparallel-shm-notes.txt"));

        assertEquals(2, SegmentFiles.deleteOrphans(dir));
        assertFalse(Files.exists(ofDead));
        assertFalse(Files.exists(ofEarlierSelf));
        assertTrue(Files.exists(ofSelf));
        assertTrue(Files.exists(ofLiving));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void aPidReusedByAnotherProcessDoesNotKeepTheSegmentsOfTheDeadCreatorAlive(@TempDir Path dir) throws Exception {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        long parentStart = Pids.startTicks(parent);
        assumeTrue(parentStart > 0, "needs /proc");
        // a creator that had the parent's pid and started earlier: the pid was reused since
        Path ofEarlierHolder = Files.createFile(dir.resolve(
                "jparallel-shm-" + parent + "-" + String.format("%016x", parentStart - 1) + "-1"));
        Path ofParent = Files.createFile(dir.resolve(
                "jparallel-shm-" + parent + "-" + String.format("%016x", parentStart) + "-1"));

        assertEquals(1, SegmentFiles.deleteOrphans(dir));
        assertFalse(Files.exists(ofEarlierHolder));
        assertTrue(Files.exists(ofParent));
        assertEquals(0, SegmentFiles.deleteOrphansOf(dir, parent), "nor when the parent's pid alone is swept");
        assertTrue(Files.exists(ofParent));
    }

    @Test
    void aSweepLeavesOtherUsersSegments(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to give a file to another user");
        UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (UserPrincipalNotFoundException e) {
            assumeTrue(false, "needs a user 'nobody'");
            return;
        }
        long dead = SyncTesting.deadPid();
        Path ofAnotherUser = Files.createFile(dir.resolve("jparallel-shm-" + dead + "-0badf00d-1"));
        Files.setOwner(ofAnotherUser, nobody);
        Path ours = Files.createFile(dir.resolve("jparallel-shm-" + dead + "-0badf00d-2"));

        assertEquals(1, SegmentFiles.deleteOrphans(dir));
        assertTrue(Files.exists(ofAnotherUser), "its creator may only be invisible to us");
        assertFalse(Files.exists(ours));
    }

    @Test
    void mappingRefusesFilesThatAreNotSegments(@TempDir Path dir) throws IOException {
        Path impostor = dir.resolve("jparallel-shm-1-00000000-1");
        Files.write(impostor, new byte[64]);
        assertThrows(IllegalArgumentException.class, () -> Segment.map(impostor));
        Path otherName = dir.resolve("passwd");
        Files.write(otherName, new byte[64]);
        assertThrows(IllegalArgumentException.class, () -> Segment.map(otherName));
    }

    @Test
    void aDescriptorMustMatchItsSegment() {
        try (SharedInt value = Shared.intValue(1)) {
            Descriptor d = ((RealShared) value).descriptor();
            assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.open(new Descriptor(Kind.LONG, d.path(), 0, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.open(new Descriptor(Kind.INT, d.path(), 0, 2)));
        }
        try (SharedInt raw = Shared.rawValue('i', 1)) {
            Descriptor d = ((RealShared) raw).descriptor();
            assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.open(new Descriptor(Kind.RLOCK, d.path(), Layout.LOCK_AT, 0)));
        }
    }

    @Test
    void aThousandCreateCloseCyclesLeaveNothing() {
        for (int i = 0; i < 1000; i++) {
            switch (i % 5) {
                case 0 -> Shared.intValue(i).close();
                case 1 -> Shared.doubleArray(i).close();
                case 2 -> Shared.lock().close();
                case 3 -> Shared.rawValue('b', 1).close();
                default -> Shared.byteArray(4096).close();
            }
            assertEquals(List.of(), SharedMemory.segmentsCreatedBy(PID));
        }
    }

    @Test
    void releaseAllDeletesEveryCreatedSegmentAndClosesTheObjects() {
        SharedInt a = Shared.intValue(1);
        SharedLock b = Shared.rlock();
        assertEquals(2, SharedMemory.segmentsCreatedBy(PID).size());
        assertTrue(SharedMemory.releaseAll() >= 2);
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(PID));
        assertTrue(a.isClosed());
        assertTrue(b.isClosed());
        assertThrows(IllegalStateException.class, a::get);
        assertThrows(IllegalStateException.class, b::acquire);
    }
}
