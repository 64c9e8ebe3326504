package org.edgenn.explore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Evaluates candidates on a pool of threads of this JVM, one {@link Evaluator} per thread. */
public final class InProcessEngine implements Engine {
    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<Evaluator> evaluators = new ThreadLocal<>();
    private volatile Job job;

    public InProcessEngine(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "edgenn-explore");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<Result> evaluate(Job job, List<Candidate> batch, Evaluator.Stage stage) {
        this.job = job;
        List<Future<Result>> futures = new ArrayList<>();
        for (Candidate c : batch) {
            futures.add(pool.submit(() -> evaluator().evaluate(c, stage)));
        }
        List<Result> out = new ArrayList<>();
        for (Future<Result> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("evaluating a candidate failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private Evaluator evaluator() {
        Evaluator e = evaluators.get();
        if (e == null) {
            e = Evaluators.create(job);
            evaluators.set(e);
        }
        return e;
    }

    @Override
    public String describe() {
        return threads + " thread" + (threads == 1 ? "" : "s");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
