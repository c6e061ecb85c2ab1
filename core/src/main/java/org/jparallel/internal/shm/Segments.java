package org.jparallel.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The segments of this JVM: those it created (and must delete) and those it mapped (kept while some
 * object uses them, so a worker maps each segment once however many tasks carry it). Creating the
 * first segment installs a shutdown hook that deletes every created segment, and deletes segments
 * whose creator died; later creations repeat that sweep at most every 10 seconds. Thread-safe.
 */
final class Segments {

    private static final long SWEEP_EVERY_NS = 10_000_000_000L;

    private static final Map<Path, Segment> CREATED = new ConcurrentHashMap<>();
    private static final Map<Path, WeakReference<Segment>> MAPPED = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static final Object SWEEP = new Object();
    private static long lastSweep;
    private static boolean swept;

    private Segments() {
    }

    /** A new segment owned by this process. */
    static Segment create(Kind kind, int length, int flags) {
        installShutdownHook();
        sweepNowAndThen();
        try {
            Segment segment = Segment.create(SegmentFiles.newPath(), kind, length, flags);
            CREATED.put(segment.path, segment);
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared memory in " + SegmentFiles.directory() + ": " + e, e);
        }
    }

    /** The segment at {@code path}: this process's own, one already mapped, or a new mapping. */
    static Segment open(Path path) throws IOException {
        Segment own = CREATED.get(path);
        if (own != null && !own.isClosed()) {
            return own;
        }
        WeakReference<Segment> ref = MAPPED.get(path);
        Segment mapped = ref == null ? null : ref.get();
        if (mapped != null && !mapped.isClosed()) {
            return mapped;
        }
        synchronized (MAPPED) {
            ref = MAPPED.get(path);
            mapped = ref == null ? null : ref.get();
            if (mapped != null && !mapped.isClosed()) {
                return mapped;
            }
            mapped = Segment.map(path);
            MAPPED.values().removeIf(r -> r.get() == null);
            MAPPED.put(path, new WeakReference<>(mapped));
            return mapped;
        }
    }

    /** Closes a segment: deletes it if this process created it, else forgets the mapping. */
    static void close(Segment segment) {
        segment.close();
        CREATED.remove(segment.path, segment);
        MAPPED.computeIfPresent(segment.path, (p, ref) -> ref.get() == segment ? null : ref);
    }

    /** Closes every segment this process created or mapped. */
    static List<Segment> closeAll() {
        List<Segment> closed = new ArrayList<>(CREATED.values());
        for (WeakReference<Segment> ref : MAPPED.values()) {
            Segment s = ref.get();
            if (s != null) {
                closed.add(s);
            }
        }
        closed.forEach(Segments::close);
        return closed;
    }

    /** Deletes the segments of dead creators now; returns how many. */
    static int sweep() {
        synchronized (SWEEP) {
            swept = true;
            lastSweep = System.nanoTime();
            return SegmentFiles.deleteOrphans(SegmentFiles.directory());
        }
    }

    private static void sweepNowAndThen() {
        synchronized (SWEEP) {
            if (swept && System.nanoTime() - lastSweep < SWEEP_EVERY_NS) {
                return;
            }
        }
        sweep();
    }

    private static void installShutdownHook() {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Segments::closeAll, "jparallel-shm-cleanup"));
            } catch (IllegalStateException e) {
                // already shutting down: nothing more can be registered
            }
        }
    }
}
