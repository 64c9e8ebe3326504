package org.edgenn.generator.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Op;
import org.edgenn.runtime.cost.Workload;

/**
 * The traits of every IR op, keyed by op class: the one place a backend asks how an op quantizes, maps, lowers and
 * trains. {@code OpTraitsCompletenessTest} fails when a class permitted by the sealed {@link Op} has no traits here.
 * Adding an op: its IR record in {@code ir/ops}, its traits class here (one line in {@link #TRAITS}), its kernels.
 */
public final class OpTraitsRegistry {
    private static final Map<Class<? extends Op>, OpTraits<?>> TRAITS = register(List.of(
            new DenseTraits(), new Conv2dTraits(), new PoolTraits(), new UpsampleTraits(), new PixelShuffleTraits(),
            new ConcatTraits(), new FlattenTraits(), new ReshapeTraits(), new ElementwiseTraits(), new ActivationTraits(),
            new ClampTraits(), new ShrinkTraits(), new ProjectTraits(), new LossTraits(), new ConstantTraits(),
            new SourceTraits(), new SupportSelectTraits(), new DenseTransposedTraits()));

    private OpTraitsRegistry() {
    }

    private static Map<Class<? extends Op>, OpTraits<?>> register(List<OpTraits<?>> all) {
        Map<Class<? extends Op>, OpTraits<?>> m = new LinkedHashMap<>();
        for (OpTraits<?> t : all) {
            if (m.put(t.opClass(), t) != null) {
                throw new IllegalStateException("two traits for " + t.opClass().getSimpleName());
            }
        }
        return Map.copyOf(m);
    }

    /** The traits of an op class, or null when it has none (the completeness test keeps this from happening). */
    public static OpTraits<?> forClass(Class<? extends Op> opClass) {
        return TRAITS.get(opClass);
    }

    /**
     * The traits of {@code op}'s class, typed for {@code op}. IR ops are records (final classes), so the class is
     * the key.
     */
    @SuppressWarnings("unchecked")
    public static OpTraits<Op> of(Op op) {
        OpTraits<?> t = TRAITS.get(op.getClass());
        if (t == null) {
            throw new IllegalStateException("no traits for op " + op.getClass().getSimpleName() + " (" + op.kind()
                    + "): register them in OpTraitsRegistry");
        }
        return (OpTraits<Op>) t;
    }

    public static QuantRole quantRole(Op op) {
        return of(op).quantRole(op);
    }

    /** The node's loop nest on the accelerator, or null when it costs nothing there. */
    public static Workload workload(Node n, WorkloadBits bits) {
        return of(n.op()).workload(n.op(), n, bits);
    }

    public static void emitTraining(Op op, TrainingEmission out) {
        of(op).emitTraining(op, out);
    }
}
