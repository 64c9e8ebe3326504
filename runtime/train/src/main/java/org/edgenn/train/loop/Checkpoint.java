package org.edgenn.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
    private static final String FORMAT = "edgenn-continuation-checkpoint-2";
    /** Name prefixes: a graph array (variable or constant), an updater (optimizer) state, a state holder's value. */
    private static final String VARIABLE = "v/", UPDATER = "u/", HOLDER = "h/";
    private static final ThreadLocal<Checkpoint> CURRENT = new ThreadLocal<>();

    private final Path from;
    private final Path to;
    private final long until;
    private boolean used;

    private Checkpoint(Path from, Path to, long until) {
        this.from = from;
        this.to = to;
        this.until = until;
    }

    /**
     * Runs {@code body} with a checkpoint for its (single) {@link Trainer#fit}: restored from {@code from} (null: a fresh
     * start) and saved to {@code to}.
     */
    public static <T> T around(Path from, Path to, Callable<T> body) throws Exception {
        return around(from, to, 0, body);
    }

    /**
     * The same, the fit stopping once {@code until} of its optimizer steps are done (counted from its start, those the
     * checkpoint holds included; 0: it runs to its end). With its epochs and schedule set for the largest budget, the
     * fit stopped at {@code until} is the first {@code until} steps of that training.
     */
    public static <T> T around(Path from, Path to, long until, Callable<T> body) throws Exception {
        if (until < 0) {
            throw new IllegalArgumentException("until must be >= 0 (0: no limit), was " + until);
        }
        Checkpoint previous = CURRENT.get();
        CURRENT.set(new Checkpoint(from, to, until));
        try {
            return body.call();
        } finally {
            CURRENT.set(previous);
        }
    }

    /**
     * True when this thread's next fit continues a saved state: a curriculum that would run before it is already in
     * that state and is skipped.
     */
    static boolean continuesSavedState() {
        Checkpoint c = CURRENT.get();
        return c != null && !c.used && c.from != null;
    }

    /** Runs {@code body} (a curriculum's fits) without the checkpoint, which stays for the fit after it. */
    static <T> T outside(java.util.function.Supplier<T> body) {
        Checkpoint held = CURRENT.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            CURRENT.set(held);
        }
    }

    /** The step count (from the fit's start) at which the fit stops; {@link Long#MAX_VALUE} when it runs to its end. */
    long stopAt() {
        return until > 0 ? until : Long.MAX_VALUE;
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

    /**
     * Restores the graph's arrays, the updater states and the state holders; returns the optimizer steps the checkpoint
     * holds (0 without one). {@code batches}, the fit's batches per epoch, must be those of the saved fit: the steps
     * skipped and the ones that follow are located by it, so another epoch size would train on other batches than the
     * uninterrupted run.
     */
    long restore(SameDiff sd, Map<String, INDArray> updaterStates, List<Checkpointed> holders, int batches) {
        if (from == null) {
            return 0;
        }
        ArrayArchive archive = ArrayArchive.read(from, FORMAT);
        int savedBatches = Integer.parseInt(archive.required("batches"));
        if (savedBatches != batches) {
            throw new CheckpointException(from + " was saved by a training of " + savedBatches + " batches per epoch, this one has "
                    + batches + ": its next steps would not see the batches the uninterrupted training sees");
        }
        Map<String, CheckpointState> states = new LinkedHashMap<>();
        for (Checkpointed h : holders) {
            states.put(h.checkpointKey(), CheckpointState.empty());
        }
        for (Map.Entry<String, INDArray> e : archive.arrays().entrySet()) {
            String key = e.getKey();
            INDArray saved = e.getValue();
            if (key.startsWith(HOLDER)) {
                String[] keyAndName = key.substring(HOLDER.length()).split("/", 2);
                CheckpointState st = states.get(keyAndName[0]);
                if (st == null || keyAndName.length < 2) {
                    throw new CheckpointException(from + " does not fit this training: it holds the state of " + keyAndName[0]
                            + ", which this graph does not have");
                }
                st.arrays().put(keyAndName[1], saved);
                continue;
            }
            boolean graph = key.startsWith(VARIABLE);
            String name = key.substring(graph ? VARIABLE.length() : UPDATER.length());
            INDArray target = graph ? (sd.hasVariable(name) ? sd.getArrForVarName(name) : null) : updaterStates.get(name);
            if (target == null || target.length() != saved.length()) {
                throw new CheckpointException(from + " does not fit this graph: " + (graph ? "array " : "updater state of ")
                        + name + (target == null ? " is missing" : " has " + target.length() + " values, the checkpoint " + saved.length()));
            }
            target.assign(saved.reshape(target.shape()).castTo(target.dataType()));
        }
        for (String k : archive.meta().stringPropertyNames()) {
            if (k.startsWith(HOLDER)) {
                String[] keyAndName = k.substring(HOLDER.length()).split("/", 2);
                CheckpointState st = states.get(keyAndName[0]);
                if (st == null || keyAndName.length < 2) {
                    throw new CheckpointException(from + " does not fit this training: it holds the state of " + keyAndName[0]
                            + ", which this graph does not have");
                }
                st.scalars().put(keyAndName[1], archive.meta().getProperty(k));
            }
        }
        for (Checkpointed h : holders) {
            h.restoreState(states.get(h.checkpointKey()));
        }
        return Long.parseLong(archive.required("step"));
    }

    /**
     * Writes, atomically, what the rest of the training depends on: the graph's arrays (variables, and constants such
     * as pruning masks), the updater states, the state holders (activation observers' ranges: the post-training
     * calibration continues from them), the global step and the epoch size.
     */
    void save(SameDiff sd, Map<String, INDArray> updaterStates, List<Checkpointed> holders, long step, int batches) throws IOException {
        if (to == null) {
            return;
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            boolean persistent = v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT;
            if (persistent && v.getArr() != null) {
                arrays.put(VARIABLE + v.name(), v.getArr());
            }
        }
        updaterStates.forEach((name, state) -> arrays.put(UPDATER + name, state));
        Properties meta = new Properties();
        for (Checkpointed h : holders) {
            CheckpointState st = CheckpointState.empty();
            h.saveState(st);
            st.scalars().forEach((k, v) -> meta.setProperty(HOLDER + h.checkpointKey() + "/" + k, v));
            st.arrays().forEach((k, a) -> arrays.put(HOLDER + h.checkpointKey() + "/" + k, a));
        }
        meta.setProperty("step", Long.toString(step));
        meta.setProperty("batches", Integer.toString(batches));
        ArrayArchive.write(to, FORMAT, meta, arrays);
    }
}
