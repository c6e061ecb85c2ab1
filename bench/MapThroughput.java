import org.jparallel.api.AsyncResult;
import org.jparallel.api.WorkerPool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pool's hot path on 2 workers, tiny elements (an Integer plus one): map over 100k and 1M elements,
 * 5,000 chunks of one element, 2,000 applyAsync calls, 200 apply calls in turn; each the best of 5 after
 * warm-up. For comparing two builds of the core jar on one machine (see README.md).
 */
public final class MapThroughput {
    static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static double best(int reps, Runnable r) {
        double b = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            b = Math.min(b, time(r));
        }
        return b;
    }

    static List<Integer> range(int n) {
        List<Integer> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) xs.add(i);
        return xs;
    }

    public static void main(String[] args) throws Exception {
        try (WorkerPool pool = WorkerPool.start(2).awaitReady()) {
            List<Integer> k100 = range(100_000), m1 = range(1_000_000), k5 = range(5_000);
            for (int i = 0; i < 5; i++) pool.map(x -> x + 1, k100);
            pool.map(x -> x + 1, m1);
            for (int i = 0; i < 3; i++) pool.map(x -> x + 1, k5, 1);
            double a = best(5, () -> pool.map(x -> x + 1, k100));
            double b = best(5, () -> pool.map(x -> x + 1, m1));
            double c = best(5, () -> pool.map(x -> x + 1, k5, 1));
            double d = best(5, () -> {
                List<AsyncResult<Integer>> rs = new ArrayList<>();
                for (int i = 0; i < 2000; i++) { int v = i; rs.add(pool.applyAsync(() -> v)); }
                for (AsyncResult<Integer> r : rs) { try { r.get(); } catch (InterruptedException e) { throw new RuntimeException(e); } }
            });
            double e = best(5, () -> { for (int i = 0; i < 200; i++) { int v = i; pool.apply(() -> v); } });
            System.out.printf(Locale.ROOT, "map 100k: %.1f ms (%.2f M elem/s)%n", a * 1e3, 0.1 / a);
            System.out.printf(Locale.ROOT, "map 1M:   %.1f ms (%.2f M elem/s)%n", b * 1e3, 1.0 / b);
            System.out.printf(Locale.ROOT, "map 5k chunk 1: %.1f ms (%.0f tasks/s)%n", c * 1e3, 5000 / c);
            System.out.printf(Locale.ROOT, "2000 applyAsync: %.1f ms (%.0f calls/s)%n", d * 1e3, 2000 / d);
            System.out.printf(Locale.ROOT, "200 apply in turn: %.1f ms (%.0f us each)%n", e * 1e3, e / 200 * 1e6);
        }
    }
}
