package org.edgenn.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Continues a training where an earlier one stopped, across processes: the trained variables, the optimizer's state
 * (Adam's moments) and the global step. Successive halving trains a candidate to one budget, ranks it, and trains the
 * survivors on to the next budget from this state rather than from scratch.
 *
 * <p>A checkpoint is installed around a call of generated code ({@link #around}) so that generated trainers need no
 * new code: the first {@link Trainer#fit} of the calling thread restores {@code from} (skipping the optimizer steps it
 * already holds, so the batches are those an uninterrupted run would see next) and saves {@code to} when it ends,
 * atomically. Trainers with a curriculum run several fits; they are not continued (the caller retrains those).
 */
public final class Checkpoint {
    private static final String FORMAT = "edgenn-continuation-checkpoint-1";
    /** Array name prefixes: a graph variable, an updater (optimizer) state. */
    private static final String VARIABLE = "v/", UPDATER = "u/";
    private static final ThreadLocal<Checkpoint> CURRENT = new ThreadLocal<>();

    private final Path from;
    private final Path to;
    private boolean used;

    private Checkpoint(Path from, Path to) {
        this.from = from;
        this.to = to;
    }

    /**
     * Runs {@code body} with a checkpoint for its (single) {@link Trainer#fit}: restored from {@code from} (null: a fresh
     * start) and saved to {@code to}.
     */
    public static <T> T around(Path from, Path to, Callable<T> body) throws Exception {
        Checkpoint previous = CURRENT.get();
        CURRENT.set(new Checkpoint(from, to));
        try {
            return body.call();
        } finally {
            CURRENT.set(previous);
        }
    }

    /** The checkpoint of this thread's next fit, at most once; null when none is installed. */
    static Checkpoint take() {
        Checkpoint c = CURRENT.get();
        if (c == null || c.used) {
            return null;
        }
        c.used = true;
        return c;
    }

    /** Restores the variables and updater states; returns the optimizer steps the checkpoint holds (0 without one). */
    long restore(SameDiff sd, Map<String, INDArray> updaterStates) {
        if (from == null) {
            return 0;
        }
        ArrayArchive archive = ArrayArchive.read(from, FORMAT);
        for (Map.Entry<String, INDArray> e : archive.arrays().entrySet()) {
            boolean variable = e.getKey().startsWith(VARIABLE);
            String name = e.getKey().substring(variable ? VARIABLE.length() : UPDATER.length());
            INDArray saved = e.getValue();
            INDArray target = variable ? (sd.hasVariable(name) ? sd.getArrForVarName(name) : null) : updaterStates.get(name);
            if (target == null || target.length() != saved.length()) {
                throw new CheckpointException(from + " does not fit this graph: " + (variable ? "variable " : "updater state of ")
                        + name + (target == null ? " is missing" : " has " + target.length() + " values, the checkpoint " + saved.length()));
            }
            target.assign(saved.reshape(target.shape()).castTo(target.dataType()));
        }
        return Long.parseLong(archive.required("step"));
    }

    /** Writes the trainable variables, the updater states and the global step, atomically. */
    void save(SameDiff sd, Map<String, INDArray> updaterStates, long step) throws IOException {
        if (to == null) {
            return;
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                arrays.put(VARIABLE + v.name(), v.getArr());
            }
        }
        updaterStates.forEach((name, state) -> arrays.put(UPDATER + name, state));
        Properties meta = new Properties();
        meta.setProperty("step", Long.toString(step));
        ArrayArchive.write(to, FORMAT, meta, arrays);
    }
}
