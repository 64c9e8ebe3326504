package org.edgenn.explore;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Progress of an exploration as plain lines (also when stdout is not a terminal, e.g. in CI or under
 * nohup): candidates done of those expected, infeasible ones, the current front size and an ETA from
 * the rate so far. At most one line every two seconds, and one at the end.
 */
final class Progress {
    private static final long EVERY_NANOS = 2_000_000_000L;

    private final PrintWriter out;
    private long expected;
    private long done;
    private long cached;
    private long infeasible;
    private int front;
    private long started;
    private long lastLine;

    Progress(PrintWriter out) {
        this.out = out;
    }

    void start(String name, long size, String engine, List<String> objectives) {
        started = System.nanoTime();
        lastLine = started;
        expected = size;
        line(String.format(Locale.ROOT, "explore %s: %d candidates in the space, minimizing %s, on %s", name, size,
                String.join(", ", objectives), engine));
    }

    /** NSGA-II evaluates population x (generations + 1) candidates at most (fewer when they repeat). */
    void expect(long n) {
        expected = n;
    }

    synchronized void evaluated(Result r, Evaluator.Stage stage, List<Result> currentFront) {
        if (stage == Evaluator.Stage.FULL) {
            maybe("full mapping of the front: " + r.candidate().key());
            return;
        }
        done++;
        infeasible += r.feasible() ? 0 : 1;
        front = currentFront.size();
        maybe(status());
    }

    synchronized void cached(Result r) {
        done++;
        cached++;
        infeasible += r.feasible() ? 0 : 1;
    }

    void done(List<Result> all, List<Result> finalFront) {
        front = finalFront.size();
        line(status() + String.format(Locale.ROOT, "; final front %d (full mapping)", finalFront.size()));
    }

    private String status() {
        double elapsed = (System.nanoTime() - started) * 1e-9;
        long fresh = done - cached;
        String eta = fresh == 0 || done >= expected ? "" : String.format(Locale.ROOT, ", ETA %.0f s",
                elapsed / fresh * Math.max(0, expected - done));
        return String.format(Locale.ROOT, "  %d/%d candidates (%d from cache, %d infeasible), front %d, %.1f s%s",
                done, expected, cached, infeasible, front, elapsed, eta);
    }

    private void maybe(String s) {
        long now = System.nanoTime();
        if (now - lastLine >= EVERY_NANOS) {
            lastLine = now;
            line(s);
        }
    }

    private void line(String s) {
        if (out != null) {
            out.println(s);
            out.flush();
        }
    }
}
