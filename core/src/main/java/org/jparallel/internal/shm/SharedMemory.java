package org.jparallel.internal.shm;

import org.jparallel.api.SharedArray;
import org.jparallel.api.SharedBarrier;
import org.jparallel.api.SharedByte;
import org.jparallel.api.SharedByteArray;
import org.jparallel.api.SharedCondition;
import org.jparallel.api.SharedDouble;
import org.jparallel.api.SharedDoubleArray;
import org.jparallel.api.SharedEvent;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedIntArray;
import org.jparallel.api.SharedJoinableQueue;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLong;
import org.jparallel.api.SharedLongArray;
import org.jparallel.api.SharedSemaphore;
import org.jparallel.api.SharedPipe;
import org.jparallel.api.SharedQueue;
import org.jparallel.api.SharedSimpleQueue;
import org.jparallel.api.SharedValue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared memory for the rest of jparallel: the factories behind {@link org.jparallel.api.Shared},
 * {@link #open} for the codec (a descriptor back to an object, by mapping, never copying), and the
 * clean-up hooks: {@link #releaseAll()} when the kernel or a worker stops, {@link #deleteOrphans()}
 * when the kernel or a pool starts, {@link #deleteLeftBy} when a worker process has ended.
 *
 * <p>Within one JVM a descriptor always gives the same object while it is in use, so identity holds
 * across tasks, and the creator gets its own object back.
 */
public final class SharedMemory {

    /** System property naming the directory for segments (default: /dev/shm, else java.io.tmpdir). */
    public static final String DIRECTORY_PROPERTY = SegmentFiles.DIRECTORY_PROPERTY;

    private static final Map<Descriptor, WeakReference<RealShared>> OBJECTS = new ConcurrentHashMap<>();
    private static final AtomicInteger REGISTERED = new AtomicInteger();

    private SharedMemory() {
    }

    // ---- creating ----

    private static int flags(boolean locked) {
        return locked ? Layout.FLAG_LOCK | Layout.FLAG_REENTRANT : 0;
    }

    private static <T extends RealShared> T created(T object) {
        registerWithLock(object);
        return object;
    }

    /**
     * Registers an object and, for a value or array, its lock (for a pipe, its ends), so that each descriptor
     * gives back the same object.
     */
    private static void registerWithLock(RealShared object) {
        register(object.descriptor(), object);
        if (object instanceof RealSharedData && ((RealSharedData) object).hasLock()) {
            RealShared lock = (RealShared) ((RealSharedData) object).getLock();
            register(lock.descriptor(), lock);
        }
        if (object instanceof RealSharedPipe) {
            for (RealShared end : List.of(((RealSharedPipe<?>) object).first, ((RealSharedPipe<?>) object).second)) {
                register(end.descriptor(), end);
            }
        }
    }

    public static SharedInt newInt(int initial, boolean locked) {
        RealSharedInt value = created(new RealSharedInt(Segments.create(Kind.INT, 1, flags(locked))));
        Access.INT.setVolatile(value.buffer, Layout.VALUE_AT, initial);
        return value;
    }

    public static SharedLong newLong(long initial, boolean locked) {
        RealSharedLong value = created(new RealSharedLong(Segments.create(Kind.LONG, 1, flags(locked))));
        Access.LONG.setVolatile(value.buffer, Layout.VALUE_AT, initial);
        return value;
    }

    public static SharedDouble newDouble(double initial, boolean locked) {
        RealSharedDouble value = created(new RealSharedDouble(Segments.create(Kind.DOUBLE, 1, flags(locked))));
        Access.LONG.setVolatile(value.buffer, Layout.VALUE_AT, Double.doubleToRawLongBits(initial));
        return value;
    }

    public static SharedByte newByte(byte initial, boolean locked) {
        RealSharedByte value = created(new RealSharedByte(Segments.create(Kind.BYTE, 1, flags(locked))));
        Access.INT.setVolatile(value.buffer, Layout.VALUE_AT, (int) initial);
        return value;
    }

    /** A value by Python typecode; the initial value must fit the type exactly. */
    @SuppressWarnings("unchecked")
    public static <V extends SharedValue> V newValue(char typecode, Number initial, boolean locked) {
        if (initial == null) {
            throw new NullPointerException("a shared value needs an initial number, not null");
        }
        switch (Kind.ofTypecode(typecode, false)) {
            case INT:
                return (V) newInt((int) exact(initial, Integer.MIN_VALUE, Integer.MAX_VALUE, typecode), locked);
            case LONG:
                return (V) newLong(exact(initial, Long.MIN_VALUE, Long.MAX_VALUE, typecode), locked);
            case DOUBLE:
                return (V) newDouble(initial.doubleValue(), locked);
            default:
                return (V) newByte((byte) exact(initial, Byte.MIN_VALUE, Byte.MAX_VALUE, typecode), locked);
        }
    }

    /** {@code n} as a long in [min, max], or an IllegalArgumentException if it is not exactly such a whole number. */
    private static long exact(Number n, long min, long max, char typecode) {
        long value;
        try {
            if (n instanceof BigInteger) {
                value = ((BigInteger) n).longValueExact();
            } else if (n instanceof BigDecimal) {
                value = ((BigDecimal) n).longValueExact();
            } else if (n instanceof Double || n instanceof Float) {
                double d = n.doubleValue();
                if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
                    throw new ArithmeticException();
                }
                value = (long) d;
            } else {
                value = n.longValue();
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(n + " is not a whole number that typecode '" + typecode + "' can hold");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(n + " is out of range for typecode '" + typecode + "' ("
                    + min + " to " + max + ")");
        }
        return value;
    }

    private static void checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("an array length cannot be negative: " + length);
        }
    }

    public static SharedIntArray newIntArray(int length, boolean locked) {
        checkLength(length);
        return created(new RealSharedIntArray(Segments.create(Kind.INT_ARRAY, length, flags(locked))));
    }

    public static SharedLongArray newLongArray(int length, boolean locked) {
        checkLength(length);
        return created(new RealSharedLongArray(Segments.create(Kind.LONG_ARRAY, length, flags(locked))));
    }

    public static SharedDoubleArray newDoubleArray(int length, boolean locked) {
        checkLength(length);
        return created(new RealSharedDoubleArray(Segments.create(Kind.DOUBLE_ARRAY, length, flags(locked))));
    }

    public static SharedByteArray newByteArray(int length, boolean locked) {
        checkLength(length);
        return created(new RealSharedByteArray(Segments.create(Kind.BYTE_ARRAY, length, flags(locked))));
    }

    /** An array by Python typecode. */
    @SuppressWarnings("unchecked")
    public static <A extends SharedArray> A newArray(char typecode, int length, boolean locked) {
        switch (Kind.ofTypecode(typecode, true)) {
            case INT_ARRAY:
                return (A) newIntArray(length, locked);
            case LONG_ARRAY:
                return (A) newLongArray(length, locked);
            case DOUBLE_ARRAY:
                return (A) newDoubleArray(length, locked);
            default:
                return (A) newByteArray(length, locked);
        }
    }

    public static SharedLock newLock(boolean reentrant) {
        Kind kind = reentrant ? Kind.RLOCK : Kind.LOCK;
        int flags = Layout.FLAG_LOCK | (reentrant ? Layout.FLAG_REENTRANT : 0);
        return created(new RealSharedLock(Segments.create(kind, 0, flags), false));
    }

    // ---- synchronization ----

    public static SharedSemaphore newSemaphore(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("a semaphore cannot start with a negative number of permits: " + permits);
        }
        Kind kind = bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE;
        return created(RealSharedSemaphore.create(Segments.create(kind, 0, 0), permits));
    }

    public static SharedEvent newEvent() {
        return created(new RealSharedEvent(Segments.create(Kind.EVENT, 0, 0)));
    }

    /** A condition with {@code lock}, or with a reentrant lock of its own if {@code lock} is null. */
    public static SharedCondition newCondition(SharedLock lock) {
        if (lock == null) {
            return created(openCondition(Segments.create(Kind.CONDITION, 0, Layout.FLAG_LOCK | Layout.FLAG_REENTRANT)));
        }
        if (!(lock instanceof RealSharedLock)) {
            throw new IllegalArgumentException("a SharedCondition needs a lock made by Shared.lock(), Shared.rlock()"
                    + " or a shared value's getLock(), not a " + lock.getClass().getName());
        }
        RealSharedLock real = (RealSharedLock) lock;
        real.checkOpen();
        Descriptor descriptor = real.descriptor();
        Segment segment = Segments.create(Kind.CONDITION, descriptor.path().getBytes(StandardCharsets.UTF_8).length, 0);
        RealSharedCondition.writeLock(segment, descriptor);
        return created(openCondition(segment));
    }

    private static RealSharedCondition openCondition(Segment segment) {
        return new RealSharedCondition(segment, (RealSharedLock) open(RealSharedCondition.lockOf(segment)));
    }

    /** A barrier for {@code parties}, with a default timeout unless {@code timeout} is null. */
    public static SharedBarrier newBarrier(int parties, Duration timeout) {
        if (parties < 1 || parties > SyncLayout.MAX_PARTIES) {
            throw new IllegalArgumentException("a barrier needs 1 to " + SyncLayout.MAX_PARTIES + " parties, not " + parties);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a barrier's default timeout must be positive, not " + timeout);
        }
        long nanos = timeout == null ? -1 : Backoff.nanos(timeout);
        return created(RealSharedBarrier.create(Segments.create(Kind.BARRIER, parties, 0), nanos));
    }

    // ---- messaging ----

    /** The ring of a queue unless given: 64 MiB (sparse in /dev/shm: memory is used as items pass). */
    public static final int DEFAULT_QUEUE_CAPACITY = ChannelLayout.DEFAULT_QUEUE_CAPACITY;
    /** The ring of each direction of a pipe unless given: 16 MiB. */
    public static final int DEFAULT_PIPE_CAPACITY = ChannelLayout.DEFAULT_PIPE_CAPACITY;

    /** A queue of at most {@code maxsize} items (no maximum if {@code maxsize <= 0}, as in Python). */
    public static <E> SharedQueue<E> newQueue(int maxsize, int capacity) {
        return created(new RealSharedQueue<>(newChannel(Kind.QUEUE, 1, capacity, maxsize, "queue"), contextLoader()));
    }

    public static <E> SharedJoinableQueue<E> newJoinableQueue(int maxsize, int capacity) {
        return created(new RealSharedJoinableQueue<>(newChannel(Kind.JOINABLE_QUEUE, 1, capacity, maxsize, "queue"),
                contextLoader()));
    }

    public static <E> SharedSimpleQueue<E> newSimpleQueue(int capacity) {
        return created(new RealSharedQueue<>(newChannel(Kind.SIMPLE_QUEUE, 1, capacity, 0, "queue"), contextLoader()));
    }

    /** A pipe with one ring of {@code capacity} bytes per direction. */
    public static <E> SharedPipe<E> newPipe(boolean duplex, int capacity) {
        return created(new RealSharedPipe<>(newChannel(Kind.PIPE, duplex ? 2 : 1, capacity, 0, "pipe"), contextLoader()));
    }

    private static Segment newChannel(Kind kind, int rings, int capacity, int maxsize, String what) {
        Segment segment = Segments.create(kind, ChannelLayout.length(rings, capacity, what), 0);
        segment.buffer.putInt(ChannelLayout.CAPACITY_AT, (int) ChannelLayout.roundedCapacity(capacity));
        segment.buffer.putInt(ChannelLayout.MAXSIZE_AT, Math.max(maxsize, 0));
        segment.buffer.putInt(ChannelLayout.RINGS_AT, rings);
        return segment;
    }

    /**
     * The loader a queue or pipe made here decodes with: the calling thread's context loader, which is the
     * notebook's code in a cell and in a worker's task.
     */
    private static ClassLoader contextLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SharedMemory.class.getClassLoader();
    }

    // ---- opening a descriptor ----

    /**
     * The object a descriptor names, mapping its segment if this JVM has not yet.
     *
     * @throws IllegalStateException    if the segment no longer exists (its creator closed it or exited)
     *                                  or cannot be mapped
     * @throws IllegalArgumentException if the descriptor does not match the segment it names
     */
    public static Object open(Descriptor descriptor) {
        return open(descriptor, contextLoader());
    }

    /**
     * {@link #open(Descriptor)} for a decoder: a queue or pipe mapped now decodes its items with
     * {@code loader}'s classes (in a worker, the loader of the notebook's code). An object this JVM already
     * has keeps the loader it was made with.
     */
    public static Object open(Descriptor descriptor, ClassLoader loader) {
        WeakReference<RealShared> ref = OBJECTS.get(descriptor);
        RealShared known = ref == null ? null : ref.get();
        if (known != null && !known.isClosed()) {
            return known;
        }
        Path path = Path.of(descriptor.path());
        Segment segment;
        try {
            segment = Segments.open(path);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the shared memory " + path + " no longer exists: the process that"
                    + " created it closed it or exited", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot map the shared memory " + path + ": " + e, e);
        }
        RealShared object = descriptor.kind().isChannel()
                ? wrapChannel(segment, descriptor, loader)
                : wrap(segment, descriptor);
        registerWithLock(object);
        return object;
    }

    private static RealShared wrap(Segment segment, Descriptor d) {
        if (d.offset() == Layout.LOCK_AT && d.kind() == Kind.RLOCK && d.length() == 0 && !segment.kind.isLock()) {
            if (!segment.hasLock()) {
                throw new IllegalArgumentException(segment.path + " is a raw " + segment.kind + " without a lock");
            }
            return new RealSharedLock(segment, true);
        }
        if (d.offset() != 0 || d.kind() != segment.kind || d.length() != segment.length) {
            throw new IllegalArgumentException("the descriptor " + d + " does not match the segment " + segment);
        }
        switch (segment.kind) {
            case INT:
                return new RealSharedInt(segment);
            case LONG:
                return new RealSharedLong(segment);
            case DOUBLE:
                return new RealSharedDouble(segment);
            case BYTE:
                return new RealSharedByte(segment);
            case INT_ARRAY:
                return new RealSharedIntArray(segment);
            case LONG_ARRAY:
                return new RealSharedLongArray(segment);
            case DOUBLE_ARRAY:
                return new RealSharedDoubleArray(segment);
            case BYTE_ARRAY:
                return new RealSharedByteArray(segment);
            case SEMAPHORE:
            case BOUNDED_SEMAPHORE:
                return new RealSharedSemaphore(segment);
            case EVENT:
                return new RealSharedEvent(segment);
            case CONDITION:
                return openCondition(segment);
            case BARRIER:
                return new RealSharedBarrier(segment);
            default:
                return new RealSharedLock(segment, false);
        }
    }

    private static RealShared wrapChannel(Segment segment, Descriptor d, ClassLoader loader) {
        boolean end = d.kind() == Kind.PIPE_END && segment.kind == Kind.PIPE && (d.offset() == 1 || d.offset() == 2);
        if (!end && (d.offset() != 0 || d.kind() != segment.kind) || d.length() != segment.length) {
            throw new IllegalArgumentException("the descriptor " + d + " does not match the segment " + segment);
        }
        switch (d.kind()) {
            case JOINABLE_QUEUE:
                return new RealSharedJoinableQueue<>(segment, loader);
            case PIPE:
                return new RealSharedPipe<>(segment, loader);
            case PIPE_END:
                return new RealSharedConnection<>(segment, d.offset(), loader);
            default:
                return new RealSharedQueue<>(segment, loader);
        }
    }

    private static void register(Descriptor descriptor, RealShared object) {
        OBJECTS.put(descriptor, new WeakReference<>(object));
        if (REGISTERED.incrementAndGet() % 256 == 0) {
            OBJECTS.values().removeIf(r -> {
                RealShared o = r.get();
                return o == null || o.isClosed();
            });
        }
    }

    // ---- releasing ----

    /** Closes a segment: deleted if this process created it, else only forgotten here. */
    static void close(Segment segment) {
        Segments.close(segment);
        String path = segment.path.toString();
        OBJECTS.remove(new Descriptor(segment.kind, path, 0, segment.length));
        OBJECTS.remove(new Descriptor(Kind.RLOCK, path, Layout.LOCK_AT, 0)); // a value's or array's lock
    }

    /**
     * Releases every segment this JVM created (deleting its file) and forgets every mapping: for the
     * kernel's shutdown and a worker's exit. Returns how many segments were closed.
     */
    public static int releaseAll() {
        int closed = Segments.closeAll().size();
        OBJECTS.clear();
        return closed;
    }

    /** Deletes the segments of creators that died without releasing them; returns how many. */
    public static int deleteOrphans() {
        return Segments.sweep();
    }

    /**
     * Deletes the segments process {@code pid} created and left behind, once it has ended (a process killed
     * with SIGKILL cannot clean up): for the parent that reaped it. Segments of a process running now with
     * that pid are kept. Returns how many were deleted.
     */
    public static int deleteLeftBy(long pid) {
        return SegmentFiles.deleteOrphansOf(directory(), pid);
    }

    /** The directory segments are created in ({@code /dev/shm}, or the temp directory where there is none). */
    public static Path directory() {
        return SegmentFiles.directory();
    }

    /** The segment files in {@link #directory()} that process {@code pid} created. */
    public static List<Path> segmentsCreatedBy(long pid) {
        return SegmentFiles.createdBy(directory(), pid);
    }
}
