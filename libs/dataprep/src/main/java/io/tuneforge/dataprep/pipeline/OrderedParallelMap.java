package io.tuneforge.dataprep.pipeline;

import io.tuneforge.dataprep.PipelineException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Maps batches on worker threads and hands the results downstream in submission order, on the caller's thread.
 * At most {@code 2 × threads} batches are in flight, which bounds memory. With one thread it maps inline. The
 * downstream step therefore sees exactly the same sequence whatever the thread count.
 */
final class OrderedParallelMap<I, O> implements AutoCloseable {

    /** The in-order consumer; it may fail with the pipeline's checked exceptions. */
    interface Downstream<O> {
        void accept(O value) throws IOException, PipelineException;
    }

    private final Function<I, O> fn;
    private final Downstream<O> downstream;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<List<O>>> inFlight = new ArrayDeque<>();

    OrderedParallelMap(int threads, Function<I, O> fn, Downstream<O> downstream) {
        this.fn = fn;
        this.downstream = downstream;
        this.maxInFlight = 2 * threads;
        if (threads > 1) {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "dataprep-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    void submit(List<I> batch) throws IOException, PipelineException {
        if (pool == null) {
            for (I item : batch) {
                downstream.accept(fn.apply(item));
            }
            return;
        }
        inFlight.add(pool.submit(() -> {
            List<O> out = new ArrayList<>(batch.size());
            for (I item : batch) {
                out.add(fn.apply(item));
            }
            return out;
        }));
        while (inFlight.size() > maxInFlight) {
            drainOne();
        }
    }

    /** Waits for every batch and hands its results downstream. */
    void finish() throws IOException, PipelineException {
        while (!inFlight.isEmpty()) {
            drainOne();
        }
    }

    private void drainOne() throws IOException, PipelineException {
        List<O> results;
        try {
            results = inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("a dataprep worker failed: " + cause, cause);
        }
        for (O o : results) {
            downstream.accept(o);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
