package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.runtime.cost.CostModel;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.cost.Workload;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.hw.MappedExecution;
import org.edgenn.runtime.hw.MappedSample;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.tensor.ActivationBytes;

/**
 * Check (b) of verification: the hardware model executes every layer's mapping from the table
 * ({@link MappedExecution}: the loop order and tiles per level, the PE array, partial sums at their declared widths)
 * on the inputs the generated network recorded, and in that one execution its output bytes must equal the generated
 * layer's and the accesses it makes must equal the table's, at every level, operand and kind.
 *
 * <p>What is not executed is said, never passed silently: a MAC or pooling layer whose walk would exceed
 * {@code maxExecutedMacs} MAC slots is executed on a {@link MappedSample} (a prefix of its outputs under the inner part
 * of the same schedule; its bytes must equal the layer's there and its counts the cost model's for the sample), and the
 * detail says which; a layer no sample fits is {@link AccessCountCheck.Status#SKIPPED} with its size (check (a) still
 * covers its values on every example); a loop nest of the table without a generated layer of that name (a point-wise
 * op the generated code fuses into its producer) has its counts walked by the loop-nest simulator alone, and says so.
 */
public final class MappedCheck {
    private MappedCheck() {
    }

    /**
     * Checks every workload of the network against the table, executing those the generated network has a layer for.
     *
     * @param layers the generated network's layers after a run (their recorded inputs and outputs)
     */
    public static List<AccessCountCheck.LayerResult> check(List<Int8Layer> layers, List<Workload> workloads, MemoryHierarchy h,
                                                           JsonTableReader.Table table, FunctionalModel model,
                                                           long maxExecutedMacs, AccessCountCheck.Listener listener) {
        return check(layers, workloads, h, table, model, maxExecutedMacs, listener, Map.of());
    }

    /**
     * The same for a schedule whose passes {@code inStack} (name to its stack's) run depth-first: their whole-layer
     * mappings in the table are not what runs, so they are not executed here; {@link StackCheck} executes the stacks.
     */
    public static List<AccessCountCheck.LayerResult> check(List<Int8Layer> layers, List<Workload> workloads, MemoryHierarchy h,
                                                           JsonTableReader.Table table, FunctionalModel model,
                                                           long maxExecutedMacs, AccessCountCheck.Listener listener,
                                                           Map<String, String> inStack) {
        Map<String, JsonTableReader.Layer> byName = table.layers().stream()
                .collect(Collectors.toMap(JsonTableReader.Layer::name, Function.identity(), (a, b) -> a));
        // a network schedule fuses element-wise layers into their producer's output stage: no mapping of their own
        Map<String, String> fusedInto = new LinkedHashMap<>();
        for (JsonTableReader.Layer t : table.layers()) {
            t.fused().forEach(f -> fusedInto.put(f, t.name()));
        }
        Map<String, Int8Layer> generated = new LinkedHashMap<>();
        for (Int8Layer l : layers) {
            generated.putIfAbsent(l.name(), l);
        }
        List<AccessCountCheck.LayerResult> out = new ArrayList<>();
        for (Workload w : workloads) {
            JsonTableReader.Layer t = byName.get(w.name());
            Int8Layer l = generated.get(w.name());
            AccessCountCheck.LayerResult r;
            if (inStack.containsKey(w.name())) {
                r = new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MATCH,
                        StackCheck.IN_STACK + inStack.get(w.name()), null);
            } else if (t == null && fusedInto.containsKey(w.name())) {
                r = fused(l, w, h, fusedInto.get(w.name()), model, maxExecutedMacs);
            } else if (t == null) {
                r = new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.INVALID, "not in the mapping table", null);
            } else if (l == null) {
                AccessCountCheck.LayerResult counted = AccessCountCheck.check(w, h, t, maxExecutedMacs);
                r = counted.status() == AccessCountCheck.Status.MATCH
                        ? new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MATCH, COUNTS_ONLY, null) : counted;
            } else {
                r = execute(l, w, h, t, model, maxExecutedMacs);
            }
            out.add(r);
            listener.onLayer(out.size() - 1, workloads.size(), r);
        }
        return out;
    }

    /** The start of the detail of a layer a network schedule fuses into its producer. */
    public static final String FUSED = "fused into ";

    /**
     * An element-wise layer fused into {@code pass}: it has no loop nest in the table (its accesses are the pass's), so
     * the hardware model executes it on the plainest schedule (every loop temporal, tiles of one element below the
     * backing store) to check its values, saturation included; its counts are checked against the cost model for that
     * schedule, not the table's.
     */
    static AccessCountCheck.LayerResult fused(Int8Layer l, Workload w, MemoryHierarchy h, String pass, FunctionalModel model,
                                              long maxExecutedMacs) {
        String detail = FUSED + pass;
        org.edgenn.runtime.cost.Mapping plain = plainMapping(w, h);
        if (l == null || plain == null) {
            return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MATCH, detail + " (values by (a))", null);
        }
        JsonTableReader.Layer t = new JsonTableReader.Layer(w.name(), plain, new CostModel(h, 0).evaluate(w, plain).counts());
        AccessCountCheck.LayerResult r = execute(l, w, h, t, model, maxExecutedMacs);
        return r.status() == AccessCountCheck.Status.MATCH
                ? new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MATCH,
                        detail + " (values executed on a plain schedule)", null)
                : new AccessCountCheck.LayerResult(w.name(), r.status(), detail + ": " + r.detail(), r.difference());
    }

    /** Every loop temporal, innermost N first, every level below the backing store holding one element; null if invalid. */
    static org.edgenn.runtime.cost.Mapping plainMapping(Workload w, MemoryHierarchy h) {
        List<org.edgenn.runtime.cost.Loop> loops = new ArrayList<>();
        for (org.edgenn.ir.accel.LoopDim d : org.edgenn.ir.accel.LoopDim.values()) {
            if (w.bound(d) > 1) {
                loops.add(new org.edgenn.runtime.cost.Loop(d, w.bound(d)));
            }
        }
        List<List<org.edgenn.runtime.cost.Loop>> axes = new ArrayList<>();
        h.spec().axes().forEach(a -> axes.add(List.of()));
        Map<org.edgenn.ir.accel.Operand, int[]> cuts = new java.util.EnumMap<>(org.edgenn.ir.accel.Operand.class);
        for (org.edgenn.ir.accel.Operand op : w.operands()) {
            int[] c = new int[h.chainLength(op)];
            c[c.length - 1] = loops.size();
            cuts.put(op, c);
        }
        var m = new org.edgenn.runtime.cost.Mapping(new org.edgenn.runtime.cost.SpatialMapping(axes), loops, cuts);
        return org.edgenn.runtime.cost.MappingValidator.violations(w, h, m).isEmpty() ? m : null;
    }

    /** The detail of a loop nest walked for its counts only. */
    public static final String COUNTS_ONLY = "counts only: no generated layer of this name (fused into its producer)";

    static AccessCountCheck.LayerResult execute(Int8Layer l, Workload w, MemoryHierarchy h, JsonTableReader.Layer t,
                                                FunctionalModel model, long maxExecutedMacs) {
        MappedSample sample = MappedSample.of(w, t.mapping(), maxExecutedMacs);
        boolean sampleable = l instanceof Int8Layer.Mac || l instanceof Int8Layer.Pool;
        if (sample == null || (!sample.whole() && !sampleable)) {
            return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.SKIPPED, MappedSample.slots(t.mapping())
                    + " MAC slots to execute > limit " + maxExecutedMacs + " and no sample fits (values checked by (a) only)", null);
        }
        MappedExecution.Result x;
        try {
            x = MappedExecution.execute(l, l.inputs(), sample.workload(), h, sample.mapping(), model, t.resident());
        } catch (MappedExecution.BrokenScheduleException e) {
            return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MISMATCH, "broken schedule: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.INVALID, e.getMessage(), null);
        }
        int bits = l.outputBits();
        int values = l.output().length / ActivationBytes.bytesPerValue(bits);
        if (sample.whole() && x.written().cardinality() != values) {
            return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.INVALID, "the loop nest computes "
                    + x.written().cardinality() + " of the layer's " + values + " outputs", null);
        }
        for (int i = x.written().nextSetBit(0); i >= 0; i = x.written().nextSetBit(i + 1)) {
            int hw = ActivationBytes.get(x.output(), i, bits), net = ActivationBytes.get(l.output(), i, bits);
            if (hw != net) {
                return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MISMATCH, "output [" + i
                        + "]: mapped hardware " + hw + ", network " + net + saturated(x, w, model), null);
            }
        }
        // a sample's counts are the cost model's for the sample (the table has the whole layer's)
        var predicted = sample.whole() ? t.predicted()
                : new CostModel(h, 0).withResident(t.resident()).evaluate(sample.workload(), sample.mapping()).counts();
        AccessCountCheck.Difference d = AccessCountCheck.firstDifference(predicted, x.counts(), h);
        if (d != null) {
            return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MISMATCH,
                    (sample.whole() ? "" : "sample " + sample.describe(w) + ": ")
                            + d.toString().replace("table", sample.whole() ? "table" : "model").replace("simulator", "executed"), d);
        }
        return new AccessCountCheck.LayerResult(w.name(), AccessCountCheck.Status.MATCH,
                sample.whole() ? "" : SAMPLED + sample.describe(w), null);
    }

    /** The start of the detail of a layer executed in part. */
    public static final String SAMPLED = "sample executed: ";

    private static String saturated(MappedExecution.Result x, Workload w, FunctionalModel model) {
        return x.saturations() == 0 ? "" : " (" + x.saturations() + " sums " + (model.spec().wraps() ? "wrapped" : "saturated")
                + " at the declared widths: int" + model.spec().accumulatorBits() + " accumulator, int" + w.partialSumBits()
                + " stored partial sums; the generated code sums exactly)";
    }
}
