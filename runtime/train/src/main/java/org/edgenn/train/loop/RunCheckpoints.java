package org.edgenn.train.loop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Epoch checkpoints of one training run, so that a killed run resumes where its last checkpoint stopped and ends
 * with the same values as an uninterrupted one.
 * <p>A generated trainer calls {@link Trainer#fit} one or more times (a stage-wise recipe once per phase); the
 * calls are numbered in order. At the end of an epoch, at most once per {@code every}, the run's state is written
 * to one file, atomically: the graph's arrays (variables and constants, pruning masks included), the optimizer's
 * state, the loop's counters, every {@link Checkpointed} holder, and the epoch records of every fit finished so
 * far. A resumed run executes the trainer again from the start: fits finished before the checkpoint return their
 * recorded results without training (their listeners see the recorded epochs, so decisions taken on them repeat),
 * and the fit the checkpoint was taken in restores every state, then continues with its next epoch. Anything the
 * code between fits computes again is overwritten by that restore; the data sources are deterministic in
 * (seed, epoch, batch), so the steps after it see the same batches.
 * <p>Off unless the command line {@link #start starts} it ({@code edgenn train}, see docs/training.md).
 */
public final class RunCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);
    private static final String FORMAT = "edgenn-train-checkpoint-1";
    private static volatile RunCheckpoints active;

    /** One finished (or, in a snapshot, partly done) fit: its epoch records, whether it stopped early, the global step after it. */
    record FitRecord(List<Progress.EpochRecord> epochs, boolean stopped, long stepEnd) {}

    /** What a checkpoint file holds. {@code current} is the loop state of fit number {@code fit} after its last recorded epoch. */
    record Snapshot(int fit, List<FitRecord> completed, FitRecord current, double best, int sinceBest,
                    Map<String, String> scalars, Map<String, INDArray> arrays) {}

    private final Path file;
    private final String fingerprint;
    private final long everyNanos;
    private final Snapshot loaded;
    private final List<FitRecord> completed = new ArrayList<>();
    private int nextFit;
    private long lastWrite;

    private RunCheckpoints(Path file, String fingerprint, Duration every, Snapshot loaded) {
        this.file = file;
        this.fingerprint = fingerprint;
        this.everyNanos = every.toNanos();
        this.loaded = loaded;
        this.lastWrite = System.nanoTime();
    }

    /**
     * Starts checkpointing the run of one trainer into {@code file}. With {@code resume} an existing file is read
     * (and must carry the same {@code fingerprint}: the generated trainer and its settings); without it, or when
     * there is none, the run starts from the beginning.
     */
    public static synchronized RunCheckpoints start(Path file, String fingerprint, boolean resume, Duration every) {
        if (active != null) throw new IllegalStateException("a checkpointed run is already active: " + active.file);
        if (every.isNegative()) throw new IllegalArgumentException("checkpoint interval must be >= 0");
        Snapshot s = resume && Files.isRegularFile(file) ? read(file, fingerprint) : null;
        if (s != null) LOG.info("resuming from {} (fit {}, {} epochs done)", file, s.fit() + 1, s.current().epochs().size());
        active = new RunCheckpoints(file, fingerprint, every, s);
        return active;
    }

    /** The active run, or null when checkpoints are off. */
    static RunCheckpoints active() { return active; }

    /** True when this run continues from a checkpoint. */
    public boolean resumed() { return loaded != null; }

    /** The fit, epoch and global step the run resumed at, for messages ("fit 3, epoch 2"); empty when not resumed. */
    public String resumedAt() {
        return loaded == null ? "" : "fit " + (loaded.fit() + 1) + ", after epoch " + loaded.current().epochs().size()
                + ", global step " + loaded.current().stepEnd();
    }

    /** Ends the run: after a successful one the checkpoint is deleted (the trained artifacts supersede it), after a failed one it stays. */
    public synchronized void finish(boolean success) {
        try {
            if (success) Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete the checkpoint {}: {}", file, e.toString());
        } finally {
            if (active == this) active = null;
        }
    }

    int beginFit() { return nextFit++; }

    /** The recorded result of fit {@code fit} when it finished before the checkpoint, else null. */
    FitRecord replay(int fit) {
        return loaded != null && fit < loaded.fit() ? loaded.completed().get(fit) : null;
    }

    /** The snapshot to restore when {@code fit} is the fit it was taken in, else null. */
    Snapshot resumeIn(int fit) {
        return loaded != null && fit == loaded.fit() ? loaded : null;
    }

    void fitEnded(int fit, FitRecord r) {
        if (completed.size() != fit) throw new IllegalStateException("fit " + fit + " ended out of order");
        completed.add(r);
    }

    /** True when an epoch ending now should be written (the interval has passed since the last write). */
    boolean due() { return System.nanoTime() - lastWrite >= everyNanos; }

    /** Writes the run's state at the end of an epoch of fit {@code fit}. */
    void write(int fit, FitRecord current, double best, int sinceBest, Map<String, String> scalars, Map<String, INDArray> arrays) {
        Properties p = new Properties();
        p.setProperty("fingerprint", fingerprint);
        p.setProperty("fit", Integer.toString(fit));
        p.setProperty("fits", Integer.toString(completed.size()));
        for (int i = 0; i < completed.size(); i++) putFit(p, "fit." + i, completed.get(i));
        putFit(p, "current", current);
        p.setProperty("best", Double.toString(best));
        p.setProperty("sinceBest", Integer.toString(sinceBest));
        scalars.forEach((k, v) -> p.setProperty("state." + k, v));
        long t0 = System.nanoTime();
        try {
            ArrayArchive.write(file, FORMAT, p, arrays);
        } catch (IOException e) {
            throw new CheckpointException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
        lastWrite = System.nanoTime();
        LOG.debug("checkpoint {} (fit {}, epoch {}) in {} ms", file, fit + 1, current.epochs().size(), (lastWrite - t0) / 1_000_000);
    }

    private static void putFit(Properties p, String prefix, FitRecord r) {
        p.setProperty(prefix + ".stopped", Boolean.toString(r.stopped()));
        p.setProperty(prefix + ".stepEnd", Long.toString(r.stepEnd()));
        p.setProperty(prefix + ".epochs", Integer.toString(r.epochs().size()));
        for (int j = 0; j < r.epochs().size(); j++) {
            Progress.EpochRecord e = r.epochs().get(j);
            p.setProperty(prefix + ".epoch." + j, e.epoch() + ";" + e.meanLoss() + ";" + e.metric() + ";" + e.seconds());
            p.setProperty(prefix + ".metricName." + j, e.metricName());
        }
    }

    private static FitRecord getFit(ArrayArchive p, String prefix) {
        int n = Integer.parseInt(p.required(prefix + ".epochs"));
        List<Progress.EpochRecord> epochs = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            String[] f = p.required(prefix + ".epoch." + j).split(";");
            if (f.length != 4) throw new CheckpointException("malformed epoch record " + prefix + ".epoch." + j);
            epochs.add(new Progress.EpochRecord(Integer.parseInt(f[0]), Double.parseDouble(f[1]), p.required(prefix + ".metricName." + j),
                    Double.parseDouble(f[2]), Double.parseDouble(f[3])));
        }
        return new FitRecord(List.copyOf(epochs), Boolean.parseBoolean(p.required(prefix + ".stopped")),
                Long.parseLong(p.required(prefix + ".stepEnd")));
    }

    /** Reads a checkpoint file; a file of another format or trainer is a {@link CheckpointException} naming it. */
    static Snapshot read(Path file, String fingerprint) {
        String remedy = "; delete it, or train without --resume to start over";
        ArrayArchive p;
        try {
            p = ArrayArchive.read(file, FORMAT);
        } catch (CheckpointException e) {
            throw new CheckpointException(e.getMessage() + remedy, e);
        }
        if (!fingerprint.equals(p.meta().getProperty("fingerprint")))
            throw new CheckpointException(file + " was written by a different trainer (the .edgenn file or the training options"
                    + " changed since)" + remedy);
        try {
            int fits = Integer.parseInt(p.required("fits"));
            List<FitRecord> completed = new ArrayList<>(fits);
            for (int i = 0; i < fits; i++) completed.add(getFit(p, "fit." + i));
            Map<String, String> scalars = new TreeMap<>();
            for (String k : p.meta().stringPropertyNames()) if (k.startsWith("state.")) scalars.put(k.substring(6), p.meta().getProperty(k));
            return new Snapshot(Integer.parseInt(p.required("fit")), List.copyOf(completed), getFit(p, "current"),
                    Double.parseDouble(p.required("best")), Integer.parseInt(p.required("sinceBest")), scalars, p.arrays());
        } catch (RuntimeException e) {
            throw new CheckpointException("cannot read the checkpoint " + file + " (" + e.getMessage() + ")" + remedy, e);
        }
    }
}
