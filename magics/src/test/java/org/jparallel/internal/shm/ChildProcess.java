package org.jparallel.internal.shm;

import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLong;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for the tests: a JVM that maps segments given as descriptors on its command line
 * and works on them. {@code main(mode, descriptors…)}; a descriptor is {@code kind:path:offset:length}.
 * Modes: {@code locked-increments N value go} and {@code atomic-increments N value go} (say "ready", wait
 * for {@code go} to become 1, then increment {@code value} N times); {@code hold-and-halt lock} (take the
 * lock, say "held", halt without releasing).
 */
public final class ChildProcess {

    private ChildProcess() {
    }

    static String describe(Object shared) {
        Descriptor d = ((RealShared) shared).descriptor();
        return d.kind().code() + ":" + d.path() + ":" + d.offset() + ":" + d.length();
    }

    private static Object open(String text) {
        String[] parts = text.split(":");
        return SharedMemory.open(new Descriptor(Kind.ofCode(Integer.parseInt(parts[0])), parts[1],
                Integer.parseInt(parts[2]), Integer.parseInt(parts[3])));
    }

    /** Starts a child JVM with the test classpath. */
    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ChildProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The child's first line of output. */
    static String firstLine(Process child) throws IOException {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "locked-increments", "atomic-increments" -> {
                long n = Long.parseLong(args[1]);
                SharedLong value = (SharedLong) open(args[2]);
                SharedInt go = (SharedInt) open(args[3]);
                System.out.println("ready");
                System.out.flush();
                while (go.get() == 0) {
                    Thread.onSpinWait();
                }
                if (args[0].startsWith("locked")) {
                    for (long i = 0; i < n; i++) {
                        try (var held = value.getLock().hold()) {
                            value.set(value.get() + 1);
                        }
                    }
                } else {
                    for (long i = 0; i < n; i++) {
                        value.incrementAndGet();
                    }
                }
                System.exit(0);
            }
            case "hold-and-halt" -> {
                SharedLock lock = (SharedLock) open(args[1]);
                lock.acquire();
                System.out.println("held");
                System.out.flush();
                Runtime.getRuntime().halt(1);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
