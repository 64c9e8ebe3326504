package org.edgenn.train.loop;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named scalars and arrays of one {@link Checkpointed} holder. Doubles are kept as {@link Double#toString}
 * text, which parses back to the same bits; arrays are copied when saved, so the holder may keep mutating its own.
 */
public final class CheckpointState {
    private final Map<String, String> scalars;
    private final Map<String, INDArray> arrays;

    CheckpointState(Map<String, String> scalars, Map<String, INDArray> arrays) {
        this.scalars = scalars;
        this.arrays = arrays;
    }

    static CheckpointState empty() { return new CheckpointState(new LinkedHashMap<>(), new LinkedHashMap<>()); }

    Map<String, String> scalars() { return scalars; }

    Map<String, INDArray> arrays() { return arrays; }

    public CheckpointState put(String name, double v) { scalars.put(name, Double.toString(v)); return this; }

    public CheckpointState put(String name, long v) { scalars.put(name, Long.toString(v)); return this; }

    public CheckpointState put(String name, boolean v) { scalars.put(name, Boolean.toString(v)); return this; }

    public CheckpointState putString(String name, String v) { scalars.put(name, v); return this; }

    public CheckpointState putArray(String name, INDArray a) { arrays.put(name, a.dup()); return this; }

    public double getDouble(String name) { return Double.parseDouble(require(name)); }

    public long getLong(String name) { return Long.parseLong(require(name)); }

    public boolean getBoolean(String name) { return Boolean.parseBoolean(require(name)); }

    public String getString(String name) { return require(name); }

    public INDArray getArray(String name) {
        INDArray a = arrays.get(name);
        if (a == null) throw new CheckpointException("the checkpoint has no array '" + name + "'");
        return a;
    }

    private String require(String name) {
        String v = scalars.get(name);
        if (v == null) throw new CheckpointException("the checkpoint has no value '" + name + "'");
        return v;
    }
}
