package org.edgenn.dsl.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.edgenn.ir.spec.Compression;

/**
 * A layer applied transposed has one scale for its whole weight: per-row scales of A fall inside the sums of Aᵀ
 * (y_j = Σ_i s_i q_ij r_i), so the int8 code could not factor them out. Per-channel quantization of such a layer
 * becomes per-tensor at the same width (docs/language.md, "Transposed layers").
 */
final class TransposedLayers {
    private TransposedLayers() {
    }

    /** {@code c} with a per-tensor override, at the declared width, for every per-channel layer in {@code transposed}. */
    static Compression perTensor(Compression c, Set<String> transposed) {
        List<Compression.Override> extra = new ArrayList<>();
        for (String layer : transposed) {
            var q = c.weightsOf(layer);
            if (q != null && q.perChannel()) {
                extra.add(new Compression.Override(true, layer, new Compression.Quantization(q.precision(), false, q.source())));
            }
        }
        if (extra.isEmpty()) {
            return c;
        }
        List<Compression.Override> all = new ArrayList<>(c.overrides());
        all.addAll(extra);
        return new Compression(c.weights(), c.activations(), c.pruning(), c.budgets(), all);
    }
}
