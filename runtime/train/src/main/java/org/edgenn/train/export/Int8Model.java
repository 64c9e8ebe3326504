package org.edgenn.train.export;

import org.edgenn.runtime.quant.QuantParams;
import org.edgenn.runtime.quant.Quantization;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Immutable in-memory int8 model produced by {@link Int8Export}: ordered tensors (int8 weights with per-channel
 * scales, int32 biases, optional float tensors such as thresholds), activation quantization parameters by
 * activation name, and string metadata. runtime/core's artifact writer turns this into the safetensors file.
 */
public final class Int8Model {
    private final String name;
    private final List<Int8Tensor> tensors;
    private final Map<String, QuantParams> activations;
    private final Map<String, String> metadata;

    Int8Model(String name, List<Int8Tensor> tensors, Map<String, QuantParams> activations, Map<String, String> metadata) {
        this.name = name;
        this.tensors = List.copyOf(tensors);
        this.activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public String name() { return name; }
    public List<Int8Tensor> tensors() { return tensors; }
    public Map<String, QuantParams> activations() { return activations; }
    public Map<String, String> metadata() { return metadata; }

    public Int8Tensor tensor(String n) {
        for (Int8Tensor t : tensors) if (t.name().equals(n)) return t;
        throw new NoSuchElementException("no tensor '" + n + "' in model " + name);
    }

    public QuantParams activation(String n) {
        QuantParams p = activations.get(n);
        if (p == null) throw new NoSuchElementException("no activation '" + n + "' in model " + name);
        return p;
    }

    /** Total number of int8 values. */
    public long int8Count() {
        long c = 0;
        for (Int8Tensor t : tensors) if (t.type() == Int8Tensor.Type.INT8) c += t.length();
        return c;
    }

    public List<String> tensorNames() {
        List<String> l = new ArrayList<>();
        for (Int8Tensor t : tensors) l.add(t.name());
        return l;
    }
}
