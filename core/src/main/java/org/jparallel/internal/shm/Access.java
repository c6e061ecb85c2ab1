package org.jparallel.internal.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Atomic views of a mapped segment: volatile reads and writes, compare-and-set and get-and-add on
 * aligned offsets of a direct buffer, without Unsafe. Offsets handed to them must be multiples of the
 * access size, which {@link Layout} guarantees.
 */
final class Access {

    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Left shift of byte {@code i % 4} inside its aligned int, in the native byte order. */
    static int byteShift(int index) {
        int inWord = index & 3;
        return 8 * (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? inWord : 3 - inWord);
    }

    private Access() {
    }
}
