import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.ValueCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Benchmark of the value codec on many small values: 100k Integers, and 100k of Integer/Long/Double/String
 * mixed, encoded as one chunk and decoded again (what a map of small elements pays per chunk). The Java
 * counterpart of pickle.dumps/pickle.loads of the same lists in bench/codec_bench.py. This was an assertion in
 * ValueCodecTest (100k integers under 200 ms); a figure belongs here, not in a test.
 *
 * <p>Run by bench/codec_bench.py, which compiles this file with PoolBench.java (for its JSON and statistics
 * helpers) against the core jar. Prints ONE JSON object on stdout; progress on stderr. Every metric is
 * {"value", "unit", "reps", ...}, value being the median of reps repetitions after a warm-up.
 *
 * <p>Options: --quick (fewer repetitions).
 */
public final class CodecBench {

    static final int N = 100_000;

    private CodecBench() {
    }

    /** Milliseconds of each of {@code reps} round trips of {@code values}, each checked to come back equal. */
    static List<Double> roundTrips(ValueCodec codec, List<?> values, int reps) throws NotSendableException {
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            List<Object> copy = codec.decodeAll(codec.encodeAll(values, "xs"));
            ms.add((System.nanoTime() - start) / 1e6);
            if (!copy.equals(values)) {
                throw new IllegalStateException("the round trip changed the values");
            }
        }
        return ms;
    }

    static Map<String, Object> bench(ValueCodec codec, List<?> values, int warmup, int reps) throws Exception {
        roundTrips(codec, values, warmup);
        List<Double> ms = roundTrips(codec, values, reps);
        return PoolBench.metric(PoolBench.rnd(PoolBench.median(ms), 2), "ms", reps,
                "per_rep", PoolBench.rounded(ms), "encoded_bytes", codec.encodeAll(values, "xs").length);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        ValueCodec codec = new ValueCodec(CodecBench.class.getClassLoader());
        List<Integer> integers = IntStream.range(0, N).boxed().toList();
        List<Object> mixed = IntStream.range(0, N)
                .mapToObj(i -> switch (i % 4) {
                    case 0 -> (Object) i;
                    case 1 -> (long) i * 1_000_000L;
                    case 2 -> i / 3.0;
                    default -> "s" + i;
                }).toList();
        int warmup = quick ? 5 : 20;
        int reps = quick ? 5 : 20;
        Map<String, Object> metrics = new LinkedHashMap<>();
        PoolBench.log("codec: 100k Integers ...");
        metrics.put("integers_100k_round_trip", bench(codec, integers, warmup, reps));
        PoolBench.log("codec: 100k Integer/Long/Double/String ...");
        metrics.put("mixed_100k_round_trip", bench(codec, mixed, warmup, reps));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("system", "jparallel");
        result.put("machine", PoolBench.machine());
        result.put("metrics", metrics);
        System.out.println(PoolBench.json(result, "  "));
    }
}
