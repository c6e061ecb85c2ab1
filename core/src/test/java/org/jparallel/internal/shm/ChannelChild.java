package org.jparallel.internal.shm;

import org.jparallel.api.PipeClosedException;
import org.jparallel.api.SharedConnection;
import org.jparallel.api.SharedQueue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A second process for the messaging tests: {@code main(mode, descriptor, …)}, descriptors as
 * {@link ChildProcess#describe} writes them. Modes: {@code produce N queue} (put 0…N-1, then exit);
 * {@code put-then-die N queue} (put 0…N-1, then start one more item — take the producer lock and write
 * half a record — and halt without finishing it); {@code echo end} (receive numbers and send each back
 * plus one, until the other end closes; then close this end and exit); {@code send-and-close N end} (send
 * 0…N-1, close the end, exit).
 */
public final class ChannelChild {

    private ChannelChild() {
    }

    /** Starts a child JVM with the test classpath. */
    static Process start(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ChannelChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Object open(String text) {
        String[] parts = text.split(":");
        return SharedMemory.open(new Descriptor(Kind.ofCode(Integer.parseInt(parts[0])), parts[1],
                Integer.parseInt(parts[2]), Integer.parseInt(parts[3])));
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) {
        switch (args[0]) {
            case "produce", "put-then-die" -> {
                int n = Integer.parseInt(args[1]);
                RealSharedQueue<Integer> queue = (RealSharedQueue<Integer>) open(args[2]);
                for (int i = 0; i < n; i++) {
                    queue.put(i);
                }
                if (args[0].equals("put-then-die")) {
                    writeHalfARecord(queue);
                    Runtime.getRuntime().halt(9);
                }
                System.exit(0);
            }
            case "echo" -> {
                SharedConnection<Integer> end = (SharedConnection<Integer>) open(args[1]);
                try {
                    while (true) {
                        end.send(end.recv() + 1);
                    }
                } catch (PipeClosedException e) {
                    end.close();
                    System.exit(0);
                }
            }
            case "send-and-close" -> {
                int n = Integer.parseInt(args[1]);
                SharedConnection<Integer> end = (SharedConnection<Integer>) open(args[2]);
                for (int i = 0; i < n; i++) {
                    end.send(i);
                }
                end.close();
                System.exit(0);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** What a producer killed in the middle of a put leaves: the lock held, a length and some bytes, no tail moved. */
    private static void writeHalfARecord(RealSharedQueue<?> queue) {
        int ring = ChannelLayout.FIRST_RING_AT;
        new LockWord(queue.buffer, ring + ChannelLayout.PRODUCER_LOCK, false).acquire(-1);
        int at = (int) (long) Access.LONG.getVolatile(queue.buffer, ring + ChannelLayout.TAIL);
        int data = ring + ChannelLayout.RING_HEADER;
        queue.buffer.putInt(data + at, 1000);
        for (int i = 4; i < 40 && at + i < queue.ring.capacity(); i++) {
            queue.buffer.put(data + at + i, (byte) 0x7F);
        }
    }
}
