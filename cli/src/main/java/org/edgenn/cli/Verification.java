package org.edgenn.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.generator.report.TrainingRecord;
import org.edgenn.generator.verify.AccessCountCheck;
import org.edgenn.generator.verify.HardwareModels;
import org.edgenn.generator.verify.MappedCheck;
import org.edgenn.generator.verify.StackCheck;
import org.edgenn.generator.verify.StackSchedule;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.cost.MemoryHierarchy;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.runtime.hw.LayerCheck;
import org.edgenn.train.metrics.Metrics;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three checks of {@code edgenn verify} (and of {@code build}) on a loaded int8 network:
 * <ol type="a">
 *   <li>every layer of every held-out example equals the target's bit-accurate functional model
 *       ({@link LayerCheck}), and so does the model's own chain from input to output;</li>
 *   <li>the hardware model executes every layer's mapping from the table on the first example's recorded inputs
 *       ({@link MappedCheck}): its output bytes equal the layer's and its access counts the table's;</li>
 *   <li>the task metric of the generated int8 code on the held-out examples, beside the float network's.</li>
 * </ol>
 */
final class Verification {

    /** What the checks found. {@code hardwareFailure} is the first layer that differs (null if none), in example {@code failingExample}. */
    record Result(String network, String target, int examples, int layers, Map<String, String> hardwareVerdicts,
                  LayerCheck.Result hardwareFailure, int failingExample, List<AccessCountCheck.LayerResult> access,
                  double accessSeconds, BuildReport.TaskMetrics metrics) {

        boolean hardwarePassed() {
            return hardwareFailure == null;
        }

        boolean accessPassed() {
            return access.stream().noneMatch(AccessCountCheck.LayerResult::failed);
        }

        boolean passed() {
            return hardwarePassed() && accessPassed();
        }

        /** Per-layer verdicts of check (b), by layer name. */
        Map<String, String> accessVerdicts() {
            Map<String, String> v = new LinkedHashMap<>();
            for (AccessCountCheck.LayerResult r : access) {
                v.put(r.layer(), switch (r.status()) {
                    case MATCH -> r.detail().isEmpty() ? "ok" : "ok (" + r.detail() + ")";
                    case SKIPPED -> "skipped: " + r.detail();
                    default -> r.detail();
                });
            }
            return v;
        }

        /** One line per check, for the console and the report. */
        List<BuildReport.Check> checks() {
            List<BuildReport.Check> c = new ArrayList<>();
            c.add(new BuildReport.Check("(a) " + metrics.quantized() + " kernels vs " + target + " hardware model",
                    hardwarePassed(), hardwarePassed()
                    ? layers + " layers and the whole chain bit-exact on " + examples + " held-out examples"
                    : failure()));
            long executed = access.stream().filter(r -> r.status() == AccessCountCheck.Status.MATCH && r.detail().isEmpty()).count();
            long sampled = access.stream().filter(r -> r.detail().startsWith(MappedCheck.SAMPLED)).count();
            long countsOnly = access.stream().filter(r -> r.detail().equals(MappedCheck.COUNTS_ONLY)).count();
            long fused = access.stream().filter(r -> r.detail().startsWith(MappedCheck.FUSED)).count();
            long skipped = access.stream().filter(r -> r.status() == AccessCountCheck.Status.SKIPPED).count();
            List<AccessCountCheck.LayerResult> inStacks = access.stream()
                    .filter(r -> r.detail().startsWith(StackCheck.IN_STACK)).toList();
            long stacked = inStacks.size();
            // one per stack: the part of the detail before the stack's own
            List<String> stacks = inStacks.stream().map(r -> r.detail().split(": ", 2)[0]).distinct().toList();
            long partly = inStacks.stream().filter(r -> r.detail().contains(": " + StackCheck.PARTLY))
                    .map(r -> r.detail().split(": ", 2)[0]).distinct().count();
            AccessCountCheck.LayerResult bad = access.stream().filter(AccessCountCheck.LayerResult::failed).findFirst()
                    .orElse(null);
            c.add(new BuildReport.Check("(b) mapped hardware execution vs kernels and mapping table", bad == null, bad == null
                    ? executed + String.format(Locale.ROOT, " layers executed on their mapping (held-out example 0, %.1f s):",
                            accessSeconds) + " output bytes and every access count equal"
                            + (sampled == 0 ? "" : "; " + sampled + " layers too large to execute whole: a prefix of their outputs"
                            + " executed (bytes equal, counts equal the cost model's for it; see the layer table)")
                            + (countsOnly == 0 ? "" : "; " + countsOnly + " fused loop nests: counts walked only")
                            + (fused == 0 ? "" : "; " + fused + " element-wise layers fused into their producers' passes by"
                            + " the network schedule (no loop nest of their own in the table: values executed on a plain"
                            + " schedule)")
                            + (skipped == 0 ? "" : "; " + skipped + " layers too large to execute (values by (a) only)")
                            + (stacks.isEmpty() ? "" : "; " + stacks.size() + " depth-first stacks (" + stacked + " passes)"
                            + " executed tile by tile: bytes and counts equal the stack model's"
                            + (partly == 0 ? "" : ", " + partly + " of them on their first tiles within the execution budget"
                            + " (see the layer table)"))
                    : "layer " + bad.layer() + ": " + bad.detail()));
            c.add(new BuildReport.Check("(c) task metric " + metrics.metric(), true, String.format(Locale.ROOT,
                    "float %s, %s %s (generated code, %d examples)",
                    BuildReport.TaskMetrics.format(metrics.metric(), metrics.floatValue()), metrics.quantized(),
                    BuildReport.TaskMetrics.format(metrics.metric(), metrics.int8Value()), metrics.examples())));
            return c;
        }

        /** {@code layer S[3] (lista.edgenn:19), example 0: first difference at [17]: hardware model 127, network -128}. */
        String failure() {
            return "layer " + hardwareFailure.layer()
                    + (hardwareFailure.source() == null || hardwareFailure.source().isEmpty() ? ""
                    : " (" + hardwareFailure.source() + ")")
                    + ", held-out example " + failingExample + ": first difference at [" + hardwareFailure.firstDifference()
                    + "]: hardware model " + hardwareFailure.model() + ", network " + hardwareFailure.network();
        }
    }

    private Verification() {
    }

    /**
     * Runs the checks.
     *
     * @param net      the loaded generated network (one example per run)
     * @param infer    its {@code float[] infer(float[])}
     * @param metric   the trainer's metric name ({@code nmse_db}, {@code accuracy}, {@code psnr_db})
     * @param training the trainer's record of the float network, null when there is none
     */
    static Result run(Network network, AcceleratorSpec target, Int8Network net, Method infer,
                      List<HeldOutExamples.Example> examples, String metric, TrainingRecord training,
                      String trainingSource, JsonTableReader.Table table, StackSchedule stackSchedule, long maxSimulatedMacs,
                      PrintWriter err)
            throws Exception {
        FunctionalModel model = HardwareModels.of(target);
        Map<String, String> verdicts = new LinkedHashMap<>();
        LayerCheck.Result failure = null;
        int failingExample = -1;
        float[][] predictions = new float[examples.size()][];
        StepProgress progress = new StepProgress(err, "verify ");
        List<AccessCountCheck.LayerResult> access = List.of();
        double accessSeconds = 0;
        for (int s = 0; s < examples.size(); s++) {
            try {
                predictions[s] = (float[]) infer.invoke(net, (Object) examples.get(s).input());
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            if (s == 0) {
                // check (b) on the first example: the mapped schedules executed on the inputs the layers recorded
                progress.finish();
                StepProgress execution = new StepProgress(err, "execute");
                long start = System.nanoTime();
                boolean stacks = !stackSchedule.stacks().isEmpty();
                access = MappedCheck.check(net.layers(), IrWorkloads.of(network, target), MemoryHierarchy.of(target),
                        table, model, maxSimulatedMacs, (i, n, r) -> execution.update(i + 1, n, r.layer()),
                        stackSchedule.stacked());
                if (stacks) {
                    // the depth-first stacks, tile by tile, on the same recorded values; each pass's row says how
                    access = StackCheck.merge(access, StackCheck.check(stackSchedule, target,
                            IrWorkloads.graph(network, target), net.layers(), model, maxSimulatedMacs));
                }
                execution.finish();
                accessSeconds = (System.nanoTime() - start) / 1e9;
            }
            LayerCheck.Report report = LayerCheck.check(net, model);
            for (LayerCheck.Result r : report.layers()) {
                if (!r.ok() && !verdicts.containsKey(r.layer())) {
                    verdicts.put(r.layer(), String.format(Locale.ROOT,
                            "example %d: first difference at [%d]: hardware model %d, network %d", s, r.firstDifference(),
                            r.model(), r.network()));
                }
            }
            if (failure == null && !report.ok()) {
                failure = report.firstFailure();
                failingExample = s;
            }
            progress.update(s + 1, examples.size(), failure == null ? "bit-exact so far" : "MISMATCH");
        }
        progress.finish();
        for (Int8Layer l : net.layers()) {
            verdicts.putIfAbsent(l.name(), "ok");
            // a MAC layer whose proven accumulator bound is wider than the target's accumulator: say why it can differ
            if (l instanceof Int8Layer.Mac m && !verdicts.get(l.name()).equals("ok") && m.op().accumulatorBits() > target.accumulatorBits()) {
                verdicts.put(l.name(), verdicts.get(l.name()) + String.format(Locale.ROOT,
                        " (its sums can need %d-bit accumulators; %s declares %d)", m.op().accumulatorBits(), target.name(),
                        target.accumulatorBits()));
            }
        }
        double int8 = metric(metric, predictions, examples);
        BuildReport.TaskMetrics metrics = training == null
                ? new BuildReport.TaskMetrics(metric, network.compression().quantizedLabel(), Double.NaN, Double.NaN, trainingSource, int8, examples.size())
                : new BuildReport.TaskMetrics(metric, network.compression().quantizedLabel(), training.floatValue(), training.int8Value(),
                trainingSource + (training.examples() > 0 ? ", " + training.examples() + " held-out examples" : ""),
                int8, examples.size());
        return new Result(network.name(), target.name(), examples.size(), net.layers().size(), verdicts, failure,
                failingExample, access, accessSeconds, metrics);
    }

    /** The trainer's metric of the predictions against the labels, with runtime-train's formulas. */
    static double metric(String metric, float[][] predictions, List<HeldOutExamples.Example> examples) {
        if (examples.isEmpty()) {
            return Double.NaN;
        }
        float[][] labels = examples.stream().map(HeldOutExamples.Example::label).toArray(float[][]::new);
        var p = Nd4j.create(predictions);
        var t = Nd4j.create(labels);
        return switch (metric) {
            case "accuracy" -> Metrics.accuracy(p, t);
            case "psnr_db" -> Metrics.psnr(p, t, 1.0);
            default -> Metrics.nmseDb(p, t);
        };
    }
}
