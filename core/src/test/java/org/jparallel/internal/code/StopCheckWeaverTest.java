package org.jparallel.internal.code;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopCheckWeaverTest {

    /** Compiled into the test classes; woven and loaded by a private loader below. */
    public static final class Spinner {
        public static long spin(long n) {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += i;
            }
            return sum;
        }
    }

    @AfterEach
    void clear() {
        CellStop.clear();
    }

    private static Method wovenSpin() throws Exception {
        String name = Spinner.class.getName();
        byte[] original;
        try (InputStream in = Spinner.class.getResourceAsStream("StopCheckWeaverTest$Spinner.class")) {
            original = in.readAllBytes();
        }
        byte[] woven = StopCheckWeaver.weave(original);
        ClassLoader loader = new ClassLoader(StopCheckWeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, woven, 0, woven.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        return loader.loadClass(name).getMethod("spin", long.class);
    }

    @Test
    void wovenCodeBehavesTheSameWhenNotStopped() throws Exception {
        assertEquals(Spinner.spin(1000), wovenSpin().invoke(null, 1000L));
    }

    @Test
    void wovenCodeStopsAtTheNextCheck() throws Exception {
        Method spin = wovenSpin();
        CellStop.request();
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> spin.invoke(null, 10L));
        assertTrue(e.getCause() instanceof CellStoppedError);
    }
}
