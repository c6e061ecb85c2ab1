package org.jparallel.internal.shm;

/**
 * How a shared object travels between processes: which segment file, where in it the object starts,
 * what it is and how many elements it has. Never its contents.
 *
 * @param kind   what the object is
 * @param path   the segment's file, absolute
 * @param offset where the object starts in the segment: 0 for the segment's own object,
 *               {@link Layout#LOCK_AT} for the lock of a value or array
 * @param length elements of an array, 1 for a value, 0 for a lock
 */
public record Descriptor(Kind kind, String path, int offset, int length) {
}
