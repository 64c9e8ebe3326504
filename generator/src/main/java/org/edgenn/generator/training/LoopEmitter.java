package org.edgenn.generator.training;

import static org.edgenn.generator.training.TrainerWriter.num;
import static org.edgenn.generator.training.TrainerWriter.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.ir.graph.ChannelPruning;
import org.edgenn.generator.JavaNames;
import org.edgenn.ir.graph.CurriculumPlan;
import org.edgenn.ir.spec.vocab.Curriculum;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Optimizer;
import org.edgenn.ir.spec.vocab.Schedule;

/**
 * The trainer's training methods: the held-out {@code metric}, the layer-wise {@code curriculum} when there is one,
 * {@code train} (float, calibration or QAT, export, metrics and curve) with the optimizer and schedule of the plan,
 * and {@code export} to an int8 model.
 */
final class LoopEmitter {
    private final TrainingPlan plan;
    private final TrainerWriter out;
    /** The Java (= SameDiff) names of the trained network's graph. */
    private final JavaNames graphNames;
    /** The loss variable of each curriculum stage, by step. */
    private final Map<Integer, String> stageLosses;

    LoopEmitter(TrainingPlan plan, TrainerWriter out, JavaNames graphNames, Map<Integer, String> stageLosses) {
        this.plan = plan;
        this.out = out;
        this.graphNames = graphNames;
        this.stageLosses = stageLosses;
    }


    /**
     * {@code curriculum(progress)}: the stages of the train block's curriculum, one {@code c.stage(...)} line per unroll
     * step: {@code curriculum layerwise} through {@code LayerwiseCurriculum}, {@code curriculum stagewise} through
     * {@code StagewiseRecipe}.
     */
    private void emitCurriculum(boolean higher) {
        Curriculum.Stagewise sw = plan.stagewise();
        out.line("/**");
        if (sw == null) {
            out.line(" * curriculum layerwise(epochs=" + plan.settings().curriculumEpochs() + "): before the epochs, stage k trains unroll step k alone on");
            out.line(" * loss_stage_k, the loss of its state, the steps before it frozen (stage 0 also trains the weights outside the");
            out.line(" * unroll block). A stage's weights start as the previous step's trained ones; each stage has a fresh Adam at the");
            out.line(" * train block's learning rate, decayed to 0.2x and 0.02x at 60 % and 85 % of its steps. In float.");
        } else {
            out.line(" * curriculum stagewise(steps=" + sw.steps() + ", eval=" + sw.eval() + ", better_wait=" + sw.betterWait() + "): before the epochs, stage k trains");
            out.line(" * on loss_stage_k, the loss of unroll step k's state, in three phases of a fresh Adam each: step k's weights alone");
            out.line(" * at the train block's learning rate, then the weights of every step up to k at 0.2x and 0.02x it (stage 0 also");
            out.line(" * trains the weights outside the unroll block). A phase runs at most stageSteps steps, evaluates the held-out");
            out.line(" * metric on validationData every stageEval steps, stops after stageWait steps without improvement and ends at");
            out.line(" * its best evaluated point. Step k's weights start as step k-1's trained ones. In float.");
        }
        out.line(" */");
        out.open("public List<Progress.StageRecord> curriculum(Progress.Listener progress) {");
        if (sw == null) {
            out.line("LayerwiseCurriculum c = LayerwiseCurriculum.on(sd).inputs(INPUTS).labels(LABELS)");
            out.line("        .epochsPerStage(curriculumEpochs).learningRate(" + num(learningRate()) + ")");
            out.line("        .metric(METRIC, " + higher + ", (g, stageOutput) -> metric(g, heldOutData, stageOutput));");
        } else {
            if (plan.data() instanceof DataSource.SyntheticSparse ss) {
                out.line("// the phases pick their best point on validation codes of their own, not on the held-out set that is reported");
                out.line("// (served in batches of at least 250: an evaluation is forward passes only, and larger batches cost fewer op dispatches)");
                out.line("if (validationData == null) validationData = problem().heldOut(" + ss.test() + ", Math.max(batch, 250), seed + 2);");
            } else {
                out.line("if (validationData == null) validationData = heldOutData;   // no separate validation split for this data source");
            }
            out.line("StagewiseRecipe c = StagewiseRecipe.on(sd).inputs(INPUTS).labels(LABELS).learningRate(" + num(learningRate()) + ")");
            out.line("        .phases(StagewiseRecipe.reference(new StagewiseRecipe.Budget(stageSteps, stageEval, stageWait)))");
            if (sw.scalarLr() != 1) {
                out.line("        .scalarLearningRate(" + num(sw.scalarLr()) + ")   // scalar_lr: step sizes and thresholds at this factor of the learning rate");
            }
            out.line("        .metric(METRIC, " + higher + ", (g, stageOutput) -> metric(g, validationData, stageOutput));");
        }
        out.line("if (progress != null) c.progress(progress);");
        for (CurriculumPlan.Stage st : plan.curriculum().stages()) {
            if (st.trainable().isEmpty()) {
                out.line("// step " + st.step() + " has no weights of its own: no stage");
                continue;
            }
            List<String> trainable = st.trainable().stream().map(w -> str(graphNames.of(w))).toList();
            List<String> init = new ArrayList<>();
            st.initFrom().forEach((to, from) -> init.add(str(graphNames.of(to)) + ", " + str(graphNames.of(from))));
            String initMap = init.size() <= 10 ? "Map.of(" + String.join(", ", init) + ")"
                    : "Map.ofEntries(" + String.join(", ", init.stream().map(e -> "Map.entry(" + e + ")").toList()) + ")";
            out.line("c.stage(" + str(stageLosses.get(st.step())) + ", " + str(graphNames.of(st.state())) + ", List.of("
                    + String.join(", ", trainable) + "), " + initMap + ");");
        }
        out.line("return c.run(trainData);");
        out.close("}");
        out.line("");
    }

    /**
     * The iterations of the classical peers (ISTA and FISTA as many steps as the network unrolls) when the data is the
     * synthetic sparse-coding problem and the output is an unroll state; 0 when the network has no such peer.
     */
    private int peerIterations() {
        if (!(plan.data() instanceof DataSource.SyntheticSparse) || !plan.metric().name().equals("nmse_db") || plan.net().outputs().isEmpty()) {
            return 0;
        }
        org.edgenn.ir.graph.Node out = plan.net().node(plan.net().outputs().get(0));
        return out == null || out.step() < 0 ? 0 : out.step() + 1;
    }

    private Optimizer optimizer() {
        return plan.optimizer();
    }

    /** The train block's learning rate (1e-3 when the optimizer does not say). */
    private double learningRate() {
        return optimizer().lr();
    }

    private String updater() {
        Optimizer opt = optimizer();
        double lr = learningRate();
        Schedule sch = plan.schedule();
        String schedule;
        if (sch instanceof Schedule.Cosine c) {
            schedule = "Optimizers.cosine(" + num(lr) + ", " + num(c.min() != null ? c.min() : lr * 0.01) + ", (long) epochs * batches)";
        } else if (sch instanceof Schedule.Step st) {
            schedule = "Optimizers.stepDecay(" + num(lr) + ", " + num(st.gamma()) + ", (long) "
                    + st.every() + " * batches)   /* x gamma every " + st.every() + " epochs */";
        } else if (sch instanceof Schedule.Exponential ex) {
            schedule = "Optimizers.exponential(" + num(lr) + ", Math.pow(" + num(ex.gamma()) + ", 1.0 / batches))   /* x gamma per epoch */";
        } else {
            schedule = "new FixedSchedule(" + num(lr) + ")";
        }
        if (opt instanceof Optimizer.Sgd sgd) {
            return sgd.momentum() > 0 ? "new Nesterovs(" + schedule + ", " + num(sgd.momentum()) + ")" : "new Sgd(" + schedule + ")";
        }
        if (opt instanceof Optimizer.RmsProp) {
            return "new RmsProp(" + schedule + ")";
        }
        return "new Adam(" + schedule + ")";   // adam; adamw adds its decoupled weight decay on the trainer
    }

    /** True when channel pruning removes channels from the exported network (ChannelPruning compacts it). */
    private boolean compaction() {
        ChannelPruning.Result cp = ChannelPruning.compact(plan.net());
        return cp.problems().isEmpty() && !cp.pruned().isEmpty();
    }

    void emit() {
        TrainingPlan.Metric metric = plan.metric();
        boolean curriculum = plan.hasCurriculum();
        String output = !curriculum ? "metricOutput" : "outputName";
        String metricCall = switch (metric.name()) {
            case "accuracy" -> "Evaluate.accuracy(g, data, List.of(INPUTS), " + output + ")";
            case "psnr_db" -> "Evaluate.psnr(g, data, List.of(INPUTS), " + output + ", 1.0)";
            default -> "Evaluate.nmseDb(g, data, List.of(INPUTS), " + output + ")";
        };
        boolean higher = metric.higherIsBetter();
        out.line("/** The held-out metric (" + metric.name() + ") of the graph in its current fake-quant state. */");
        out.open("public double metric(SameDiff g, BatchSource data) {");
        out.line("return " + (!curriculum ? metricCall : "metric(g, data, metricOutput)") + ";");
        out.close("}");
        out.line("");
        if (curriculum) {
            out.line("/** The held-out metric of any output of the graph (each curriculum stage reads its own step's state). */");
            out.open("public double metric(SameDiff g, BatchSource data, String outputName) {");
            out.line("return " + metricCall + ";");
            out.close("}");
            out.line("");
            emitCurriculum(higher);
        }
        out.line("/**");
        out.line(" * Opens the data, builds the graph, trains and writes {@code out/" + plan.net().name() + ".safetensors}, {@code .metrics.json} and");
        out.line(" * {@code .curve.png}. Returns the held-out metrics ({@code float.<metric>}, {@code int8.<metric>}) and the final loss.");
        out.line(" */");
        out.open("public Map<String, Double> train(Path out, Progress.Listener progress) throws IOException {");
        out.line("Files.createDirectories(out);");
        out.line("if (teacherDir == null) teacherDir = out;");
        out.line("openData();");
        out.line("checkData();");
        out.line("int batches = trainData.batchesPerEpoch();");
        out.line("build(sd);");
        out.line("loadInitialWeights();   // --init-weights: start from given float weights");
        boolean q = plan.quantized();
        out.line("boolean quantized = " + q + ";");
        out.line("int calibrationBatches = Math.min(20, batches);");
        out.line("boolean qat = quantized && qatFromEpoch >= 0 && qatFromEpoch < epochs;");
        out.line("if (quantized) FakeQuant.setEnabled(sd, false);   // float first");
        if (curriculum) {
            out.line("List<Progress.StageRecord> stages = " + (plan.stagewise() != null ? "stageSteps" : "curriculumEpochs")
                    + " > 0 ? curriculum(progress) : List.of();   // in float, before the epochs");
        }
        out.line("if (qat && qatFromEpoch == 0) Calibration.run(sd, trainData, List.of(INPUTS), calibrationBatches);   // observers warm-up, QAT on");
        out.line("Trainer trainer = Trainer.on(sd).inputs(INPUTS).labels(LABELS).loss(loss)");
        out.line("        .updater(" + updater() + ")");
        if (optimizer() instanceof Optimizer.AdamW aw) {
            out.line("        .decoupledWeightDecay(" + num(aw.weightDecay()) + ")   // adamw: w -= lr_t * " + num(aw.weightDecay()) + " * w each step");
        }
        out.line(curriculum ? "        .epochs(Math.max(1, epochs))   // epochs 0: the curriculum did all the training" : "        .epochs(epochs)");
        out.line("        .metric(METRIC, " + higher + ", g -> metric(g, heldOutData));");
        out.line("if (progress != null) trainer.progress(progress);");
        out.open("if (qat && qatFromEpoch > 0) {");
        out.open("trainer.progress(new Progress.Listener() {   // switch QAT on after epoch qatFromEpoch: calibrate, then fake-quantize");
        out.line("@Override public void onBatch(Progress p) {}");
        out.open("@Override public void onEpochEnd(Progress.EpochRecord r) {");
        out.line("if (r.epoch() == qatFromEpoch) Calibration.run(sd, trainData, List.of(INPUTS), calibrationBatches);");
        out.close("}");
        out.close("});");
        out.close("}");
        out.line(curriculum ? "Trainer.TrainResult result = epochs > 0 ? trainer.fit(trainData) : new Trainer.TrainResult(List.of(), false, 0);"
                : "Trainer.TrainResult result = trainer.fit(trainData);");
        if (plan.net().compression() != null && !plan.net().compression().pruning().isEmpty()) {
            out.line("Pruning.finish(sd);   // exactly the declared zeros, also when training stopped before the schedule's end");
        }
        out.line("");
        out.line("Map<String, Double> metrics = new LinkedHashMap<>();");
        out.line("if (quantized) FakeQuant.setEnabled(sd, false);");
        out.line("metrics.put(\"float.\" + METRIC, metric(sd, heldOutData));");
        int peerSteps = peerIterations();
        if (peerSteps > 0) {
            out.line("// the classical peers in the same run, on the same held-out codes: ISTA-" + peerSteps + " and FISTA-" + peerSteps
                    + " at their best lambda");
            out.line("List<LassoPeers.Peer> peers = LassoPeers.best(problem().dictionary(), heldOutData, "
                    + peerSteps + ", LassoPeers.LAMBDAS);");
            out.line("for (LassoPeers.Peer p : peers) metrics.put(\"peer.\" + p.name() + \"-\" + p.iterations() + \".\" + METRIC, p.nmseDb());");
        }
        out.open("if (quantized) {");
        out.line("if (!qat) Calibration.run(sd, trainData, List.of(INPUTS), calibrationBatches);   // post-training calibration (PTQ)");
        out.line("FakeQuant.setEnabled(sd, true);");
        out.line("Calibration.observers(sd).forEach(ActivationObserver::freeze);");
        out.line("metrics.put(\"int8.\" + METRIC, metric(sd, heldOutData));");
        out.close("}");
        out.line("metrics.put(\"loss\", result.epochs().isEmpty() ? Double.NaN : result.last().meanLoss());");
        out.line("");
        out.line("Int8Files.writeSafetensors(export(), out.resolve(NETWORK + \".safetensors\"));");
        out.line("MetricsReport report = new MetricsReport(NETWORK);");
        out.line("report.floatMetric(METRIC, metrics.get(\"float.\" + METRIC));");
        out.line("if (metrics.containsKey(\"int8.\" + METRIC)) report.int8Metric(METRIC, metrics.get(\"int8.\" + METRIC));");
        if (peerSteps > 0) {
            out.line("for (LassoPeers.Peer p : peers) report.info(\"peer_\" + p.name() + \"_\" + p.iterations() + \"_\" + METRIC, p.nmseDb())"
                    + ".info(\"peer_\" + p.name() + \"_\" + p.iterations() + \"_lambda\", p.lambda());");
        }
        out.line("report.info(\"epochs\", epochs).info(\"batches_per_epoch\", batches).info(\"batch\", batch).info(\"steps\", result.steps())");
        out.line("        .info(\"qat_from_epoch\", qat ? qatFromEpoch : -1).info(\"held_out_examples\", heldOutData.examples())");
        if (curriculum) {
            out.line(plan.stagewise() != null ? "        .info(\"stagewise_steps_per_phase\", stageSteps).stages(stages)"
                    : "        .info(\"curriculum_epochs_per_stage\", curriculumEpochs).stages(stages)");
        }
        out.line("        .epochs(result.epochs()).write(out.resolve(NETWORK + \".metrics.json\"));");
        out.line("TrainingCurve.writePng(out.resolve(NETWORK + \".curve.png\"), NETWORK, result.epochs());");
        out.line("return metrics;");
        out.close("}");
        out.line("");
        // export
        boolean perTensor = plan.perTensor();
        out.line("/** The trained network as an int8 model: weights " + (perTensor ? "per tensor" : "per output channel")
                + ", biases int32, thresholds and other parameters float32, activation ranges from the observers. */");
        out.open("public Int8Model export() {");
        if (compaction()) {
            ChannelPruning.Result cp = ChannelPruning.compact(plan.net());
            out.line("ChannelCompaction compaction = ChannelCompaction.of(sd)   // structured pruning: the compact network's shapes");
            for (Map.Entry<String, String> e : cp.pruned().entrySet()) {
                out.line("        .pruned(" + str(graphNames.of(e.getKey())) + ", " + (e.getValue() == null ? "null" : str(graphNames.of(e.getValue()))) + ")");
            }
            for (ChannelPruning.Edge e : cp.edges()) {
                out.line("        .reads(" + str(graphNames.of(e.producerWeight())) + ", " + str(graphNames.of(e.consumerWeight())) + ", "
                        + e.dense() + ", " + e.spatial() + ")");
            }
            out.line("        ;");
        }
        out.line("Int8Export.Builder model = Int8Export.builder(NETWORK).metadata(\"network\", NETWORK)");
        out.line("        .metadata(\"layout\", \"dense [in, out], conv [kH, kW, in/groups, out]; x.scale: per-channel scales\");");
        out.line("for (ActivationObserver o : Calibration.observers(sd)) if (o.isReady()) model.activation(o.name(), o.params());");
        String array = compaction() ? "compaction.array" : "sd.getArrForVarName";
        out.line("for (String w : exportedWeights) model.weights(w, " + array + "(w), weightFormats.getOrDefault(w, new Int8Export.Format(8, "
                + !perTensor + ")));");
        out.open("for (Map.Entry<String, String> b : biases.entrySet()) {");
        out.line("ActivationObserver in = Calibration.observer(sd, macInputObserver.get(b.getValue()));");
        out.line("String weight = biasWeight.get(b.getKey());");
        out.line("if (in != null && in.isReady() && weight != null) model.bias(b.getKey(), " + array + "(b.getKey()), in.params(), weight);");
        out.line("else model.floatTensor(b.getKey(), " + array + "(b.getKey()));");
        out.close("}");
        out.line("for (String t : thresholds) model.floatTensor(t, Transforms.softPlus(sd.getArrForVarName(t), true));   // effective threshold");
        out.line("for (String p : params) model.floatTensor(p, sd.getArrForVarName(p));");
        out.line("return model.build();");
        out.close("}");
        out.line("");
    }
}
