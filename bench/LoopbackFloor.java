import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The floor under bytes through the wire: 100 MB over one loopback TCP connection between two threads of one JVM,
 * blocking channels, the writer offering 256 KiB a call as the wire's WindowedWrites does, the reader reading into a
 * 12.5 MB array. Prints each side's CPU milliseconds per MB (ThreadMXBean, nanoseconds) and MB/s, for three ways of
 * holding the bytes: heap arrays at offsets that are multiples of 8 ({@code heap8}), heap arrays at odd offsets
 * ({@code heap1}: the JDK copies between a heap array and its temporary direct buffer with a loop whose width is the
 * alignment of both addresses and of the length), and direct buffers on both sides ({@code direct}: the system
 * calls' own copies only). Then what one 12.5 MB copy on the heap costs, into a new array ({@code Arrays.copyOfRange},
 * as Smile and the compact form copy) and into an existing one. See bench/README.md, "Copies of a large byte[]".
 *
 *     javac -d /tmp/lf bench/LoopbackFloor.java && java -cp /tmp/lf LoopbackFloor [rounds]
 */
public class LoopbackFloor {
    static final int BODY = 12_500_000;
    static final int WINDOW = 256 * 1024;
    static final int BODIES = 8;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int r = 0; r < rounds; r++) {
            for (String mode : List.of("heap8", "heap1", "direct")) {
                System.out.println(mode + ": " + run(mode));
            }
            System.out.println("heap copy: " + copies());
        }
    }

    static String copies() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] source = new byte[BODY];
        java.util.Arrays.fill(source, (byte) 1);
        byte[] target = new byte[BODY];
        int copies = 40;
        long sink = 0;
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < copies; i++) {
            sink += java.util.Arrays.copyOfRange(source, 0, BODY)[i];
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < copies; i++) {
            System.arraycopy(source, 0, target, 0, BODY);
            sink += target[i];
        }
        long t2 = threads.getCurrentThreadCpuTime();
        double mb = copies * BODY / 1e6;
        return String.format("into a new array %.3f ms/MB, into an existing one %.3f ms/MB (%d)", (t1 - t0) / 1e6 / mb,
                (t2 - t1) / 1e6 / mb, sink);
    }

    static String run(String mode) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel out = SocketChannel.open(server.getLocalAddress());
            SocketChannel in = server.accept();
            int offset = mode.equals("heap1") ? 1 : 0;
            long[] readerCpu = new long[1];
            Thread reader = new Thread(() -> {
                long t0 = threads.getCurrentThreadCpuTime();
                try {
                    ByteBuffer target = mode.equals("direct") ? ByteBuffer.allocateDirect(BODY + 8)
                            : ByteBuffer.wrap(new byte[BODY + 8]);
                    for (int b = 0; b < BODIES; b++) {
                        target.clear().position(offset).limit(offset + BODY);
                        while (target.hasRemaining()) {
                            if (in.read(target) < 0) {
                                throw new IllegalStateException("closed");
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                readerCpu[0] = threads.getCurrentThreadCpuTime() - t0;
            });
            ByteBuffer source = mode.equals("direct") ? ByteBuffer.allocateDirect(BODY + 8)
                    : ByteBuffer.wrap(new byte[BODY + 8]);
            long start = System.nanoTime();
            reader.start();
            long t0 = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < BODIES; b++) {
                for (int at = offset; at < offset + BODY; ) {
                    ByteBuffer window = source.duplicate().position(at).limit(Math.min(at + WINDOW, offset + BODY));
                    at += out.write(window);
                }
            }
            long writerCpu = threads.getCurrentThreadCpuTime() - t0;
            reader.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            out.close();
            in.close();
            double mb = BODIES * BODY / 1e6;
            return String.format("%.0f MB/s, writer %.3f ms/MB, reader %.3f ms/MB", mb / seconds, writerCpu / 1e6 / mb,
                    readerCpu[0] / 1e6 / mb);
        }
    }
}
