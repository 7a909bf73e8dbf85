package io.tuneforge.dataprep.manifest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token lengths of the kept records: count, min, max, mean, total, approximate median and 95th percentile, and a
 * histogram over powers of two ({@code [0,16) [16,32) ... [32768,∞)}).
 */
public final class TokenHistogram {

    private static final int[] EDGES = {0, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};

    private final long[] buckets = new long[EDGES.length];
    private long count;
    private long total;
    private int min = Integer.MAX_VALUE;
    private int max;

    public void add(int tokens) {
        int b = EDGES.length - 1;
        while (tokens < EDGES[b]) {
            b--;
        }
        buckets[b]++;
        count++;
        total += tokens;
        min = Math.min(min, tokens);
        max = Math.max(max, tokens);
    }

    public long count() {
        return count;
    }

    /**
     * The q-quantile estimated from the histogram (linear inside the bucket, bounded by min and max); 0 when empty.
     */
    public int quantile(double q) {
        if (count == 0) {
            return 0;
        }
        double target = q * count;
        long seen = 0;
        for (int b = 0; b < buckets.length; b++) {
            if (buckets[b] > 0 && seen + buckets[b] >= target) {
                double lo = Math.max(EDGES[b], min);
                double hi = Math.min(b + 1 < EDGES.length ? EDGES[b + 1] : max, max);
                double within = (target - seen) / buckets[b];
                return (int) Math.round(lo + within * Math.max(0, hi - lo));
            }
            seen += buckets[b];
        }
        return max;
    }

    public ObjectNode toJson(String counter) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("counter", counter);
        o.put("records", count);
        o.put("total", total);
        o.put("min", count == 0 ? 0 : min);
        o.put("max", max);
        o.put("mean", count == 0 ? 0 : Math.round(10.0 * total / count) / 10.0);
        o.put("p50", quantile(0.5));
        o.put("p95", quantile(0.95));
        var histogram = o.putArray("histogram");
        for (int b = 0; b < EDGES.length; b++) {
            ObjectNode bucket = histogram.addObject();
            bucket.put("from", EDGES[b]);
            if (b + 1 < EDGES.length) {
                bucket.put("to", EDGES[b + 1]);
            }
            bucket.put("records", buckets[b]);
        }
        return o;
    }
}
