package org.edgenn.ir.ops;

import org.edgenn.ir.Shape;

/**
 * A weight tensor an op owns, by role: {@code weight} ([out, in] for dense, [out, in/groups, kh, kw]
 * for convolutions) or {@code bias} ([out]). {@code perOutputChannel} axis is always 0.
 */
public record WeightSpec(String role, Shape shape) {
    public static final String WEIGHT = "weight";
    public static final String BIAS = "bias";
}
