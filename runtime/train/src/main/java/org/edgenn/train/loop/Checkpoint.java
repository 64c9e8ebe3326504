package org.edgenn.train.loop;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgenn.runtime.io.AtomicFiles;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    private static final int MAGIC = 0x45444743; // "EDGC"
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
    long restore(SameDiff sd, Map<String, INDArray> updaterStates) throws IOException {
        if (from == null) {
            return 0;
        }
        try (InputStream raw = Files.newInputStream(from); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != MAGIC) {
                throw new IOException(from + " is not a training checkpoint");
            }
            long step = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String kind = in.readUTF();
                String name = in.readUTF();
                INDArray saved = Nd4j.read(in);
                INDArray target = kind.equals("v") ? (sd.hasVariable(name) ? sd.getArrForVarName(name) : null)
                        : updaterStates.get(name);
                if (target == null || target.length() != saved.length()) {
                    throw new IOException(from + " does not fit this graph: " + (kind.equals("v") ? "variable " : "updater state of ")
                            + name + (target == null ? " is missing" : " has " + target.length() + " values, the checkpoint " + saved.length()));
                }
                target.assign(saved.reshape(target.shape()).castTo(target.dataType()));
            }
            return step;
        }
    }

    /** Writes the trainable variables, the updater states and the global step, atomically. */
    void save(SameDiff sd, Map<String, INDArray> updaterStates, long step) throws IOException {
        if (to == null) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(step);
            int n = updaterStates.size();
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    n++;
                }
            }
            out.writeInt(n);
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    out.writeUTF("v");
                    out.writeUTF(v.name());
                    Nd4j.write(v.getArr(), out);
                }
            }
            for (Map.Entry<String, INDArray> e : updaterStates.entrySet()) {
                out.writeUTF("u");
                out.writeUTF(e.getKey());
                Nd4j.write(e.getValue(), out);
            }
        }
        Files.createDirectories(to.toAbsolutePath().getParent());
        AtomicFiles.write(to, bytes.toByteArray());
    }
}
