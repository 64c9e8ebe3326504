package org.edgenn.generator.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.edgenn.generator.JavaEmitter;
import org.edgenn.generator.JavaNames;
import org.edgenn.generator.JavaLiterals;
import org.edgenn.generator.ops.OpTraitsRegistry;
import org.edgenn.generator.ops.QuantPlacement;
import org.edgenn.generator.ops.TrainingEmission;
import org.edgenn.ir.Shape;
import org.edgenn.ir.SourceRef;
import org.edgenn.ir.graph.CurriculumPlan;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.graph.Weight;
import org.edgenn.ir.ops.Constant;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.Loss;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.Compression;
import org.edgenn.ir.spec.TrainingSpec;
import org.edgenn.ir.spec.Value;

/**
 * Generates the readable Java trainer of a network: a class {@code <Network>Trainer} in the network's package that
 * builds the whole unrolled graph in ND4J SameDiff with the {@code runtime/train} building blocks, binds the train
 * block's data, trains with a progress listener and exports {@code N.safetensors}, {@code N.metrics.json} and
 * {@code N.curve.png}. See {@code docs/training-codegen.md} for the mapping of every op and initialiser.
 *
 * <p>The generator only emits text; it has no ND4J dependency. Unrolled steps are emitted straight-line, one block
 * per step with a {@code // step k} comment (the IR is already unrolled; untied step weights are distinct
 * variables, tied ones one variable used by every step).
 */
public final class TrainerGenerator extends JavaEmitter {

    /** Runtime weight layout, the one place the generator converts IR shapes: dense [in, out], conv [kH, kW, in/g, out]. */
    static long[] runtimeShape(Shape ir) {
        int[] d = ir.dims();
        if (d.length == 2) {
            return new long[] {d[1], d[0]};
        }
        if (d.length == 4) {
            return new long[] {d[2], d[3], d[1], d[0]};
        }
        long[] r = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = d[i];
        }
        return r;
    }

    private final Network net;
    private final TrainingSpec spec;
    private final Function<String, Network> networks;
    /** The stages of the train block's {@code curriculum layerwise}, or null without one. */
    private final CurriculumPlan curriculum;
    /** The Java (= SameDiff) names of the trained network's graph, once {@link #emitBuild} has assigned them. */
    private JavaNames graphNames;
    /** The loss variable (Java and SameDiff name) of each curriculum stage, by step, once {@link #emitBuild} has emitted them. */
    private final Map<Integer, String> stageLosses = new HashMap<>();

    private TrainerGenerator(Network net, TrainingSpec spec, Function<String, Network> networks) {
        this.net = net;
        this.spec = spec;
        this.networks = networks;
        this.curriculum = spec == null || spec.curriculum() == null || net.loss() == null ? null : CurriculumPlan.of(net);
    }

    /**
     * @param spec     the network's train block, or null (defaults; the data must then be set by the caller)
     * @param networks looks up other networks by name (teachers); may return null for unknown names
     */
    public static GeneratedTrainer generate(Network net, TrainingSpec spec, Function<String, Network> networks) {
        TrainerGenerator g = new TrainerGenerator(net, spec, networks);
        String cls = className(net.name());
        g.emitClass(cls);
        return new GeneratedTrainer(net.name(), net.javaPackage(), cls, g.b.toString());
    }

    public static String className(String network) {
        return className(network, "Trainer");
    }

    // ------------------------------------------------------------------ text helpers


    static String str(String s) {
        return JavaLiterals.str(s);
    }

    static String num(double v) {
        return JavaLiterals.num(v);
    }

    static String dims(long... d) {
        return JavaLiterals.dims(d);
    }

    static String dims(Shape s) {
        return JavaLiterals.dims(s);
    }

    private static String where(SourceRef r) {
        if (r == null || r.file().isEmpty()) {
            return "";
        }
        return Path.of(r.file()).getFileName() + ":" + r.line();
    }

    // ------------------------------------------------------------------ analysis

    private Node firstInput() {
        List<Node> in = net.inputs();
        if (in.isEmpty()) {
            throw new IllegalArgumentException("network " + net.name() + " has no input");
        }
        return in.get(0);
    }

    private List<String> inputNames() {
        List<String> r = new ArrayList<>();
        List<String> bind = spec == null ? List.of() : spec.bindings();
        for (String s : bind) {
            if (isRole(s, Source.Role.INPUT)) {
                r.add(s);
            }
        }
        for (Node n : net.inputs()) {
            if (!r.contains(n.name())) {
                r.add(n.name());
            }
        }
        return r;
    }

    private List<String> labelNames() {
        List<String> r = new ArrayList<>();
        List<String> bind = spec == null ? List.of() : spec.bindings();
        for (String s : bind) {
            if (isRole(s, Source.Role.LABEL)) {
                r.add(s);
            }
        }
        for (Node n : net.sources(Source.Role.LABEL)) {
            if (!r.contains(n.name())) {
                r.add(n.name());
            }
        }
        return r;
    }

    private boolean isRole(String node, Source.Role role) {
        return net.nodes().stream().anyMatch(n -> n.name().equals(node) && n.op() instanceof Source s && s.role() == role);
    }

    private Node outputNode() {
        return net.node(net.outputs().get(0));
    }

    /** nmse_db, accuracy or psnr_db, and the node the metric reads. */
    private String[] metric() {
        for (Node n : net.nodes()) {
            if (n.op() instanceof Loss l && l.function() == Loss.Kind.CROSS_ENTROPY) {
                return new String[] {"accuracy", n.inputs().get(0)};
            }
        }
        Node out = outputNode();
        if (out.shape().rank() == 3) {
            return new String[] {"psnr_db", out.name()};
        }
        return new String[] {"nmse_db", out.name()};
    }

    private Compression compression() {
        return net.compression() == null ? Compression.NONE : net.compression();
    }

    private boolean quantized() {
        return compression().weights() != null || compression().activations() != null;
    }

    private boolean usesInit(String name) {
        return net.weights().stream().anyMatch(w -> w.init() instanceof Value.Word word && word.name().equals(name));
    }

    /** A value as written in the language: {@code adam(lr=0.0005)}, {@code 0.1}, {@code "images"}. */
    static String text(Value v) {
        if (v instanceof Value.Word w) {
            if (w.positional().isEmpty() && w.named().isEmpty()) {
                return w.name();
            }
            List<String> args = new ArrayList<>();
            w.positional().forEach(p -> args.add(text(p)));
            new java.util.TreeMap<>(w.named()).forEach((k, x) -> args.add(k + "=" + text(x)));
            return w.name() + "(" + String.join(", ", args) + ")";
        }
        if (v instanceof Value.Str s) {
            return "\"" + s.value() + "\"";
        }
        if (v instanceof Value.Tuple t) {
            return "(" + String.join(", ", t.items().stream().map(TrainerGenerator::text).toList()) + ")";
        }
        return String.valueOf(v);
    }

    // ------------------------------------------------------------------ class

    private void emitClass(String cls) {
        if (!net.javaPackage().isEmpty()) {
            line("package " + net.javaPackage() + ";");
            line("");
        }
        for (String imp : List.of("java.io.IOException", "java.nio.file.Files", "java.nio.file.Path", "java.util.ArrayList",
                "java.util.LinkedHashMap", "java.util.List", "java.util.Map", "org.edgenn.runtime.artifact.Int8Artifact",
                "org.edgenn.runtime.artifact.SafetensorsReader", "org.edgenn.train.data.*", "org.edgenn.train.export.*",
                "org.edgenn.train.loop.*", "org.edgenn.train.metrics.*", "org.edgenn.train.prune.*", "org.edgenn.train.quant.*",
                "org.edgenn.train.sd.*", "org.nd4j.autodiff.samediff.SDVariable", "org.nd4j.autodiff.samediff.SameDiff",
                "org.nd4j.linalg.api.buffer.DataType", "org.nd4j.linalg.api.ndarray.INDArray",
                "org.nd4j.linalg.dataset.api.MultiDataSet", "org.nd4j.linalg.factory.Nd4j",
                "org.nd4j.linalg.learning.config.*", "org.nd4j.linalg.ops.transforms.Transforms", "org.nd4j.linalg.schedule.*")) {
            line("import " + imp + ";");
        }
        line("");
        String file = net.source() == null || net.source().file().isEmpty() ? "" : Path.of(net.source().file()).getFileName().toString();
        line("/**");
        line(" * Trainer of network {@code " + net.name() + "}" + (file.isEmpty() ? "" : " (" + file + ":" + net.source().line() + ")")
                + ", generated by EdgeNN. Edit freely.");
        line(" *");
        line(" * <p>Naming: IR names map to Java and SameDiff names alike ({@code S[3]} -> {@code S_3}, {@code S[3].weight} ->");
        line(" * {@code S_3_weight}, tied call {@code A@3} -> {@code A_3}). Weights use the training layout: dense {@code [in, out]},");
        line(" * conv {@code [kH, kW, in/groups, out]} (IR-layout initialisers go through {@code Inits.toRuntime}).");
        line(" * Unrolled steps are written out one after the other ({@code // step k}).");
        line(" */");
        open("public final class " + cls + " {");
        line("public static final String NETWORK = " + str(net.name()) + ";");
        line("public static final String[] INPUTS = {" + String.join(", ", inputNames().stream().map(n -> str(JavaNames.sanitize(n))).toList()) + "};");
        line("public static final String[] LABELS = {" + String.join(", ", labelNames().stream().map(n -> str(JavaNames.sanitize(n))).toList()) + "};");
        String[] metric = metric();
        line("public static final String METRIC = " + str(metric[0]) + ";");
        line("");
        line("// settings of the train block" + (spec == null ? " (none declared: defaults)" : "") + "; public so that callers and users can change them");
        line("public int epochs = " + (spec == null || spec.epochs() <= 0 ? 10 : spec.epochs()) + ";");
        line("public int batch = " + (spec == null || spec.batch() <= 0 ? 32 : spec.batch()) + ";");
        line("public long seed = " + (spec == null ? 1 : spec.seed()) + "L;");
        line("/** Optimizer steps per epoch; 0 = as many as the data source holds. */");
        line("public int batchesPerEpoch = 0;");
        line("/** Quantization-aware training from this epoch (0-based; -1 = train in float, then calibrate for int8). */");
        line("public int qatFromEpoch = " + (spec == null ? -1 : spec.qatFromEpoch()) + ";");
        line("public int pruneFromEpoch = " + (spec == null ? -1 : spec.pruneFromEpoch()) + ";");
        line("public int pruneToEpoch = " + (spec == null ? -1 : spec.pruneToEpoch()) + ";");
        if (curriculum != null) {
            line("/** Epochs of each stage of the layer-wise curriculum run before the epochs (0 = no curriculum). */");
            line("public int curriculumEpochs = " + spec.curriculum().epochsPerStage() + ";");
        }
        line("/** Relative data paths of the train block resolve against this directory (the .edgenn file's). */");
        line("public Path dataDir = Path.of(\".\");");
        line("/** Where teachers' trained {@code <Teacher>.safetensors} are read from (default: the output directory). */");
        line("public Path teacherDir;");
        line("/** The data; the train block's source when null at {@link #openData()}. */");
        line("public BatchSource trainData, heldOutData;");
        line("");
        line("public final SameDiff sd = SameDiff.create();");
        line("public SDVariable loss, output;");
        line("/** Name of the output the held-out metric reads. */");
        line("public String metricOutput;");
        line("private final Map<String, String> macInputObserver = new LinkedHashMap<>();");
        line("private final List<String> exportedWeights = new ArrayList<>(), thresholds = new ArrayList<>(), params = new ArrayList<>();");
        line("private final Map<String, String> biases = new LinkedHashMap<>(), biasWeight = new LinkedHashMap<>();");
        line("");
        emitData();
        emitBuild();
        for (Node n : net.sources(Source.Role.TEACHER)) {
            emitTeacher(n);
        }
        emitTrain(metric);
        emitHelpers();
        emitMain(cls);
        close("}");
    }

    // ------------------------------------------------------------------ data

    private String dataName() {
        return spec == null || spec.data() == null ? "" : spec.data().name();
    }

    private double arg(String key, double fallback) {
        return spec == null || spec.data() == null ? fallback : spec.data().number(key, fallback);
    }

    private String sarg(String key, String fallback) {
        return spec == null || spec.data() == null ? fallback : spec.data().string(key, fallback);
    }

    private void emitData() {
        String data = dataName();
        if (data.equals("synthetic_sparse")) {
            Node in = firstInput();
            List<Node> labels = net.sources(Source.Role.LABEL);
            int m = (int) arg("m", in.shape().size());
            int n = (int) arg("n", labels.isEmpty() ? m : labels.get(0).shape().size());
            line("private SparseCoding problem;");
            line("");
            line("/** The synthetic sparse-coding problem of the train block: y = A x, A " + m + "x" + n + ". */");
            open("public SparseCoding problem() {");
            line("if (problem == null) problem = new SparseCoding(" + m + ", " + n + ", " + num(arg("sparsity", 0.1)) + ", "
                    + num(arg("snr", Double.POSITIVE_INFINITY)) + ", seed);");
            line("return problem;");
            close("}");
            line("");
        }
        line("/** Opens the train block's data (" + (data.isEmpty() ? "none declared" : text(spec.data())) + "); fails with a DataException before training. */");
        open("public void openData() {");
        line("if (trainData != null && heldOutData != null) return;");
        switch (data) {
            case "synthetic_sparse" -> {
                long samples = (long) arg("samples", 50000);
                int test = (int) arg("test", 1000);
                line("int batches = batchesPerEpoch > 0 ? batchesPerEpoch : (int) Math.max(1, " + samples + "L / batch);");
                line("if (trainData == null) trainData = problem().stream(batch, batches, seed + 3);");
                line("if (heldOutData == null) heldOutData = problem().heldOut(" + test + ", batch, seed + 1);");
            }
            case "fashion_mnist" -> {
                String dir = sarg("dir", null);
                line("Path dir = " + (dir == null ? "FashionMnist.locate()" : "requireDir(dataDir.resolve(" + str(dir) + "), \"fashion_mnist dir\")") + ";");
                line("FashionMnist.Split train = FashionMnist.load(dir, true), test = FashionMnist.load(dir, false);");
                line("if (trainData == null) trainData = limit(ArrayBatches.of(train.images(), train.labels(), batch, true, seed), batchesPerEpoch);");
                line("if (heldOutData == null) heldOutData = limit(ArrayBatches.of(test.images(), test.labels(), batch, false, seed), "
                        + "(int) Math.ceil(" + (int) arg("test", 10000) + " / (double) batch));");
            }
            case "idx" -> {
                int classes = (int) arg("classes", 10);
                line("Path images = requireFile(dataDir.resolve(" + str(sarg("images", "train-images-idx3-ubyte")) + "), \"idx images\");");
                line("Path labels = requireFile(dataDir.resolve(" + str(sarg("labels", "train-labels-idx1-ubyte")) + "), \"idx labels\");");
                line("FashionMnist.Split train = FashionMnist.load(images, labels, " + classes + ");");
                String ti = sarg("test_images", null);
                String tl = sarg("test_labels", null);
                if (ti != null && tl != null) {
                    line("FashionMnist.Split test = FashionMnist.load(requireFile(dataDir.resolve(" + str(ti) + "), \"idx test_images\"), "
                            + "requireFile(dataDir.resolve(" + str(tl) + "), \"idx test_labels\"), " + classes + ");");
                } else {
                    line("FashionMnist.Split test = train;   // no test_images/test_labels: held out = the training files");
                }
                line("if (trainData == null) trainData = limit(ArrayBatches.of(train.images(), train.labels(), batch, true, seed), batchesPerEpoch);");
                line("if (heldOutData == null) heldOutData = limit(ArrayBatches.of(test.images(), test.labels(), batch, false, seed), "
                        + "(int) Math.ceil(" + (int) arg("test", 1000) + " / (double) batch));");
            }
            case "image_patches", "image_pairs" -> {
                int patch = (int) arg("patch", 64);
                int count = (int) arg("samples", 1024);
                int test = (int) arg("test", 64);
                line("ImageFolder images = ImageFolder.open(requireDir(dataDir.resolve(" + str(sarg("dir", "images")) + "), \"" + data + " dir\"));");
                if (data.equals("image_patches")) {
                    double sigma = arg("sigma", 25);
                    line("double sigma = " + num(sigma) + (sigma > 1 ? " / 255.0;   // noise level given on the 0..255 scale" : ";"));
                    line("if (trainData == null) trainData = limit(images.denoising(" + patch + ", " + count + ", sigma, batch, seed), batchesPerEpoch);");
                    line("if (heldOutData == null) heldOutData = images.denoising(" + patch + ", " + test + ", sigma, batch, seed + 1);");
                } else {
                    int factor = (int) arg("factor", 2);
                    line("if (trainData == null) trainData = limit(images.superResolution(" + patch + ", " + factor + ", " + count + ", batch, seed), batchesPerEpoch);");
                    line("if (heldOutData == null) heldOutData = images.superResolution(" + patch + ", " + factor + ", " + test + ", batch, seed + 1);");
                }
            }
            default -> line("throw new DataException(\"network " + net.name() + (data.isEmpty() ? " has no train block" : " trains on '" + data
                    + "', which the generated trainer cannot open") + ": set trainData and heldOutData\");");
        }
        close("}");
        line("");
        // data check
        line("/** Checks the first batch against the placeholders: a clear DataException before any training step. */");
        open("public void checkData() {");
        line("MultiDataSet first = trainData.batch(0, 0);");
        List<String> ins = inputNames();
        List<String> labs = labelNames();
        line("if (first.numFeatureArrays() != " + ins.size() + ") throw new DataException(\"the data gives \" + first.numFeatureArrays() + \" input arrays, network " + net.name() + " has " + ins.size() + " inputs " + ins + "\");");
        line("if (first.numLabelsArrays() < " + labs.size() + ") throw new DataException(\"the data gives \" + first.numLabelsArrays() + \" label arrays, network " + net.name() + " has " + labs.size() + " labels " + labs + "\");");
        for (int i = 0; i < ins.size(); i++) {
            line("checkShape(" + str(ins.get(i)) + ", first.getFeatures(" + i + "), " + dims(net.node(ins.get(i)).shape()) + ");");
        }
        for (int i = 0; i < labs.size(); i++) {
            line("checkShape(" + str(labs.get(i)) + ", first.getLabels(" + i + "), " + dims(net.node(labs.get(i)).shape()) + ");");
        }
        close("}");
        line("");
    }

    // ------------------------------------------------------------------ graph

    private void emitBuild() {
        line("/** Builds placeholders, parameters and the whole graph in {@code sd}; returns the training loss. */");
        open("public SDVariable build(SameDiff sd) {");
        line("int batches = trainData == null ? 1 : trainData.batchesPerEpoch();");
        GraphEmitter g = new GraphEmitter(net, false, "", JavaNames.forArtifact(net));
        g.emit();
        graphNames = g.names;
        if (curriculum != null) {
            g.emitStageLosses(curriculum);
        }
        String lossVar = net.loss() == null ? null : g.ref(net.loss());
        if (lossVar == null) {
            line("throw new IllegalStateException(\"network " + net.name() + " declares no loss: nothing to train\");");
        } else {
            line("this.loss = " + lossVar + ";");
            line("this.output = " + g.ref(net.outputs().get(0)) + ";");
            line("this.metricOutput = " + g.raw(metric()[1]) + ".name();");
            line("return this.loss;");
        }
        close("}");
        line("");
    }

    private void emitTeacher(Node t) {
        Source s = (Source) t.op();
        Network teacher = networks.apply(s.reference());
        if (teacher == null) {
            throw new IllegalArgumentException("teacher " + t.name() + " refers to unknown network " + s.reference());
        }
        String method = "teacher_" + JavaNames.sanitize(t.name());
        List<Node> tin = teacher.inputs();
        StringBuilder params = new StringBuilder("SameDiff sd");
        for (Node n : tin) {
            params.append(", SDVariable ").append(JavaNames.sanitize(n.name()));
        }
        line("/**");
        line(" * Teacher {@code " + t.name() + "} = network {@code " + teacher.name() + "}, built in the same graph under the name prefix");
        line(" * {@code " + JavaNames.sanitize(t.name()) + "/} with constant weights: its trained {@code " + teacher.name()
                + ".safetensors} (dequantized) when present in teacherDir, else its initial values. No gradient reaches it.");
        line(" */");
        open("private SDVariable " + method + "(" + params + ") {");
        line("Path trained = (teacherDir == null ? Path.of(\".\") : teacherDir).resolve(" + str(teacher.name() + ".safetensors") + ");");
        line("SafetensorsReader weights = openTeacher(trained);");
        GraphEmitter g = new GraphEmitter(teacher, true, JavaNames.sanitize(t.name()) + "/", new JavaNames(""));
        g.emit();
        line("closeQuietly(weights);");
        line("return Ops.stopGradient(sd, " + g.ref(teacher.outputs().get(0)) + ");");
        close("}");
        line("");
    }

    /** Emits the statements of one network's graph (the trained network, or a frozen teacher). */
    private final class GraphEmitter {
        private final Network g;
        private final boolean teacher;
        private final String sdPrefix;
        private final JavaNames names;
        private final Map<String, String> refs = new HashMap<>();
        private final Map<String, String> weightRefs = new HashMap<>();
        private final Set<String> thresholdWeights = new HashSet<>();
        private final Map<String, long[]> thresholdShapes = new HashMap<>();
        private final Set<String> constantsInline = new HashSet<>();
        private final boolean quantAct;
        /** Inference nodes with an int8 quantization, mapped to the node whose observer gives it (QuantPlacement). */
        private final Map<String, String> quantSource;
        /** Nodes whose variable already lies on an int8 grid (fake-quantized, or a quantization-preserving op of one). */
        private final Set<String> onGrid = new HashSet<>();
        private int lastStep = Integer.MIN_VALUE;
        private long seedOffset;
        private final Map<String, Node> stageNodes = new HashMap<>();

        GraphEmitter(Network g, boolean teacher, String sdPrefix, JavaNames names) {
            this.g = g;
            this.teacher = teacher;
            this.sdPrefix = sdPrefix;
            this.names = names;
            this.quantAct = !teacher && g.compression() != null && g.compression().activations() != null;
            this.quantSource = quantAct ? QuantPlacement.sources(g) : Map.of();
        }

        String sdName(String javaName) {
            return str(sdPrefix + javaName);
        }

        /** The Java variable consumers of node {@code n} use (quantized view when there is one). */
        String ref(String node) {
            String r = refs.get(node);
            if (r == null) {
                throw new IllegalStateException("node " + node + " used before it is defined");
            }
            return r;
        }

        /** The unquantized variable of node {@code n}. */
        String raw(String node) {
            return names.of(node);
        }

        /** A node of the graph, or one of the per-stage loss copies emitted after it. */
        private Node node(String name) {
            Node copy = stageNodes.get(name);
            return copy != null ? copy : g.node(name);
        }

        /**
         * The loss of every stage of a layer-wise curriculum: the network's loss terms re-emitted with its output,
         * the last unroll state, replaced by step k's state. Stage k's total is {@code loss_stage_k}; its terms are
         * {@code stage_k_<term>}. The last stage trains on the network's loss itself.
         */
        void emitStageLosses(CurriculumPlan plan) {
            line("");
            line("// ---- curriculum layerwise: stage k trains step k alone on loss_stage_k, the loss of its state ----");
            for (CurriculumPlan.Stage st : plan.stages()) {
                if (st.state().equals(plan.output())) {
                    line("// stage " + st.step() + ": the network's loss (" + plan.output() + " is the output)");
                    stageLosses.put(st.step(), ref(g.loss()));
                    continue;
                }
                line("// stage " + st.step() + ": the loss with " + plan.output() + " replaced by " + st.state());
                Map<String, String> renamed = new HashMap<>(Map.of(plan.output(), st.state()));
                for (Node n : plan.lossTail()) {
                    String copyName = n.name().equals(g.loss()) ? "loss_stage_" + st.step() : "stage_" + st.step() + "_" + n.name();
                    List<String> inputs = n.inputs().stream().map(i -> renamed.getOrDefault(i, i)).toList();
                    Node copy = new Node(copyName, n.op(), inputs, n.shape(), n.weights(), -1, true, n.source());
                    stageNodes.put(copyName, copy);
                    renamed.put(n.name(), copyName);
                    emitNode(copy);
                }
                stageLosses.put(st.step(), ref("loss_stage_" + st.step()));
            }
        }

        void emit() {
            List<Node> nodes = teacher ? g.inferenceNodes() : g.nodes();
            analyse(nodes);
            if (!teacher) {
                line("// ---- inputs and labels: placeholders, batch first ----");
                for (Node n : nodes) {
                    if (n.op() instanceof Source s && (s.role() == Source.Role.INPUT || s.role() == Source.Role.LABEL)) {
                        String v = names.of(n.name());
                        line("SDVariable " + v + " = sd.placeHolder(" + sdName(v) + ", DataType.FLOAT, -1, " + dims(n.shape()) + ");   // "
                                + where(n.source()) + " " + s.kind() + " " + n.name() + ": f32" + n.shape());
                        refs.put(n.name(), v);
                        if (s.role() == Source.Role.INPUT && quantAct && quantSource.containsKey(n.name())) {
                            quantizeActivation(n.name());
                        }
                    }
                }
            } else {
                List<Node> tin = g.inputs();
                for (Node n : tin) {
                    refs.put(n.name(), JavaNames.sanitize(n.name()));
                    names.of(n.name());
                }
            }
            line("");
            emitWeights(nodes);
            line("");
            line("// ---- graph, in execution order ----");
            for (Node n : nodes) {
                if (n.op() instanceof Source s && s.role() != Source.Role.ZEROS && s.role() != Source.Role.TEACHER) {
                    if (s.role() == Source.Role.PARAM) {
                        refs.put(n.name(), weightRefs.get(n.weights().get(0)));
                    }
                    continue;
                }
                if (n.op() instanceof Constant && constantsInline.contains(n.name())) {
                    continue;
                }
                if (n.step() != lastStep && n.step() >= 0) {
                    line("// step " + n.step());
                }
                lastStep = n.step();
                emitNode(n);
            }
        }

        private void analyse(List<Node> nodes) {
            Map<String, Node> byName = new HashMap<>();
            for (Node n : nodes) {
                byName.put(n.name(), n);
            }
            Map<String, List<Node>> users = new HashMap<>();
            for (Node n : nodes) {
                for (String in : n.inputs()) {
                    users.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            for (Node n : nodes) {
                if (OpTraitsRegistry.of(n.op()).takesThreshold(n.op(), 1)) {
                    Node th = byName.get(n.inputs().get(1));
                    if (th != null && th.op() instanceof Source s && s.role() == Source.Role.PARAM && !th.weights().isEmpty()) {
                        String w = th.weights().get(0);
                        thresholdWeights.add(w);
                        Shape x = n.shape();
                        boolean perChannel = x.rank() == 3 && th.shape().rank() == 1 && th.shape().dim(0) == x.dim(0) && x.dim(0) > 1;
                        thresholdShapes.put(w, perChannel ? new long[] {x.dim(0), 1, 1} : longs(th.shape()));
                    }
                }
                if (n.op() instanceof Constant) {
                    List<Node> us = users.getOrDefault(n.name(), List.of());
                    if (!us.isEmpty() && us.stream().allMatch(u -> u.op() instanceof Elementwise
                            && !(u.inputs().get(0).equals(n.name()) && u.inputs().get(1).equals(n.name())))) {
                        constantsInline.add(n.name());
                    }
                }
            }
        }

        private long[] longs(Shape s) {
            int[] d = s.dims();
            if (d.length == 0) {
                return new long[] {1};
            }
            long[] l = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                l[i] = d[i];
            }
            return l;
        }

        // -------------------------------------------------------------- weights

        private void emitWeights(List<Node> nodes) {
            Map<String, Node> firstUser = new LinkedHashMap<>();
            for (Node n : nodes) {
                for (String w : n.weights()) {
                    firstUser.putIfAbsent(w, n);
                }
            }
            line("// ---- weights (training layout: dense [in, out], conv [kH, kW, in/groups, out]) ----");
            int index = 0;
            for (Weight w : g.weights()) {
                Node user = firstUser.get(w.name());
                if (user == null) {
                    continue;
                }
                index++;
                seedOffset = index;
                String v = names.of(w.name());
                String comment = "   // " + where(user.source()) + " " + w.name() + " " + w.shape()
                        + (w.init() == null ? "" : " init=" + text(w.init())) + (w.trainable() ? "" : " (fixed)")
                        + (g.weightUsers().get(w.name()).size() > 1 ? " (tied: " + g.weightUsers().get(w.name()).size() + " uses)" : "");
                boolean param = user.op() instanceof Source;
                if (param && thresholdWeights.contains(w.name()) && !teacher) {
                    double theta0 = w.init() instanceof Value.Num n ? n.value() : 0.1;
                    line("SDVariable " + v + " = Shrink.thetaParam(sd, " + sdName(v) + ", " + num(Math.max(theta0, 1e-6)) + ", "
                            + dims(thresholdShapes.get(w.name())) + ");" + comment + " (raw rho; threshold = softplus(rho) > 0)");
                    line("thresholds.add(" + v + ".name());");
                    weightRefs.put(w.name(), v);
                    continue;
                }
                long[] rt = param ? longs(w.shape()) : runtimeShape(w.shape());
                if (param && thresholdShapes.containsKey(w.name())) {
                    rt = thresholdShapes.get(w.name());
                }
                String init = initExpression(w, user, rt);
                if (teacher) {
                    line("SDVariable " + v + " = sd.constant(" + sdName(v) + ", teacherWeight(weights, " + str(v) + ", " + init + "));" + comment);
                } else if (w.trainable()) {
                    line("SDVariable " + v + " = Params.of(sd, " + sdName(v) + ", " + init + ");" + comment);
                } else {
                    line("SDVariable " + v + " = sd.constant(" + sdName(v) + ", " + init + ");" + comment);
                }
                weightRefs.put(w.name(), v);
                if (teacher) {
                    continue;
                }
                if (param) {
                    line("params.add(" + v + ".name());");
                    continue;
                }
                if (w.role().equals("bias")) {
                    continue;
                }
                line("exportedWeights.add(" + v + ".name());");
                String eff = v;
                Compression.Pruning prune = pruningFor(w);
                if (prune != null && w.trainable()) {
                    String pv = names.fresh(v + "_pruned");
                    String sched = "PruneSchedule.gradualEpochs(" + num(prune.fraction()) + ", Math.max(0, pruneFromEpoch), "
                            + "pruneToEpoch > pruneFromEpoch ? pruneToEpoch : Math.max(1, epochs * 3 / 4), batches)";
                    line("SDVariable " + pv + " = Pruning." + (prune.structure() == Compression.Pruning.Structure.CHANNELS ? "channels" : "magnitude")
                            + "(sd, " + eff + ", " + sched + ");   // prune " + Math.round(prune.fraction() * 100) + "% "
                            + prune.structure().name().toLowerCase(Locale.ROOT));
                    eff = pv;
                }
                Compression.Quantization q = g.compression() == null ? null : g.compression().weights();
                if (q != null) {
                    String qv = names.fresh(v + "_q");
                    int bits = q.precision().name().contains("4") ? 4 : 8;
                    line("SDVariable " + qv + " = FakeQuant." + (q.perChannel() ? "weightsPerChannel" : "weightsPerTensor") + "(sd, " + eff + ", " + bits + ");");
                    eff = qv;
                }
                weightRefs.put(w.name(), eff);
            }
        }

        private Compression.Pruning pruningFor(Weight w) {
            if (g.compression() == null) {
                return null;
            }
            for (Compression.Pruning p : g.compression().pruning()) {
                if (p.layers().isEmpty()) {
                    return p;
                }
                for (String l : p.layers()) {
                    if (w.layer().equals(l) || w.layer().startsWith(l + ".")) {
                        return p;
                    }
                }
            }
            return null;
        }

        /** An INDArray expression of the weight's initial value in the training layout {@code rt}. */
        private String initExpression(Weight w, Node user, long[] rt) {
            Value init = w.init();
            String seed = "seed + " + seedOffset;
            String irDims = w.shape().rank() == 0 ? "1" : dims(w.shape());
            if (init == null) {
                if (w.role().equals("bias") || user.op() instanceof Source) {
                    return "Nd4j.zeros(DataType.FLOAT, " + dims(rt) + ")";
                }
                return glorot(rt, seed, w, user);
            }
            if (init instanceof Value.Num n) {
                return "Inits.constant(" + num(n.value()) + ", " + dims(rt) + ")";
            }
            if (init instanceof Value.Str s) {
                return "Inits.toRuntime(Inits.file(dataDir.resolve(" + str(s.value()) + "), " + irDims + "))";
            }
            if (!(init instanceof Value.Word word)) {
                return glorot(rt, seed, w, user) + " /* unsupported init " + init + ": glorot */";
            }
            double p0 = word.positional().isEmpty() || !(word.positional().get(0) instanceof Value.Num n0) ? Double.NaN : n0.value();
            switch (word.name()) {
                case "zeros":
                    return "Nd4j.zeros(DataType.FLOAT, " + dims(rt) + ")";
                case "ones":
                    return "Inits.constant(1.0, " + dims(rt) + ")";
                case "identity":
                    return "Inits.toRuntime(Inits.identity(" + irDims + "))";
                case "normal":
                    return "Params.gaussian(" + seed + ", " + num(orElse(p0, word.number("std", 0.01))) + ", " + dims(rt) + ")";
                case "uniform":
                    return "Params.uniform(" + seed + ", " + num(orElse(p0, word.number("a", 0.05))) + ", " + dims(rt) + ")";
                case "xavier":
                case "glorot":
                    return glorot(rt, seed, w, user);
                case "he": {
                    long[] f = fans(w.shape());
                    return "Params.gaussian(" + seed + ", Math.sqrt(2.0 / " + f[0] + "), " + dims(rt) + ")   /* he: N(0, 2/fanIn) */";
                }
                case "gaussian":
                    return "Inits.toRuntime(Inits.gaussian(" + num(orElse(p0, word.number("sigma", 1.0))) + ", " + irDims + "))";
                case "laplacian":
                    return "Inits.toRuntime(Inits.laplacian(" + irDims + "))";
                case "sobel_x":
                    return "Inits.toRuntime(Inits.sobelX(" + irDims + "))";
                case "sobel_y":
                    return "Inits.toRuntime(Inits.sobelY(" + irDims + "))";
                case "box":
                    return "Inits.toRuntime(Inits.box(" + irDims + "))";
                case "dictionary_t":
                    return "dictionaryT()";
                case "ista_s":
                    return "istaS()";
                case "dictionary":
                    return "Inits.toRuntime(Inits.dictionary(problem().dictionary()))";
                case "alista_w":
                    return "Inits.toRuntime(Inits.alistaWt(problem().dictionary()))";
                case "file": {
                    String path = word.positional().isEmpty() ? word.string("path", "") : word.positional().get(0) instanceof Value.Str s ? s.value() : "";
                    return "Inits.toRuntime(Inits.file(dataDir.resolve(" + str(path) + "), " + irDims + "))";
                }
                default:
                    return glorot(rt, seed, w, user) + " /* unknown init " + word.name() + ": glorot */";
            }
        }

        private double orElse(double v, double fallback) {
            return Double.isNaN(v) ? fallback : v;
        }

        private long[] fans(Shape ir) {
            int[] d = ir.dims();
            if (d.length == 2) {
                return new long[] {d[1], d[0]};
            }
            if (d.length == 4) {
                long rf = (long) d[2] * d[3];
                return new long[] {d[1] * rf, d[0] * rf};
            }
            long n = ir.size();
            return new long[] {n, n};
        }

        private String glorot(long[] rt, String seed, Weight w, Node user) {
            long[] f = fans(w.shape());
            return "Params.uniform(" + seed + ", Math.sqrt(6.0 / (" + f[0] + " + " + f[1] + ")), " + dims(rt) + ")   /* glorot */";
        }

        // -------------------------------------------------------------- nodes

        private void quantizeActivation(String node) {
            String v = refs.get(node);
            String q = names.fresh(v + "_q");
            line("SDVariable " + q + " = FakeQuant.activations(sd, " + v + ", ActivationObserver.ema(" + str(v) + ", 0.99));");
            refs.put(node, q);
            onGrid.add(node);
        }

        /**
         * Mirrors the int8 pipeline (QuantPlacement, docs/inference.md): a node with its own int8 quantization is
         * fake-quantized right after it is computed; a quantization-preserving op (ReLU, clamp, shrink, pooling, data
         * movement) of an on-grid value stays on that grid and gets no observer of its own.
         */
        private void placeQuantization(Node n) {
            if (!quantAct || !quantSource.containsKey(n.name())) {
                return;
            }
            if (QuantPlacement.observed(n)) {
                if (!onGrid.contains(n.name())) {
                    quantizeActivation(n.name());
                }
            } else if (!n.inputs().isEmpty() && onGrid.contains(n.inputs().get(0))) {
                onGrid.add(n.name());
            }
        }

        /** The observer that quantizes node {@code x} as a MAC input: its own, or its quantization source's. */
        private String observerOf(String x) {
            return names.of(quantSource.getOrDefault(x, x));
        }

        private boolean isQuantizable(String node) {
            Node n = g.node(node);
            if (n.op() instanceof Constant) {
                return false;
            }
            return !(n.op() instanceof Source s && (s.role() == Source.Role.ZEROS || s.role() == Source.Role.PARAM));
        }

        private String in(Node n, int i) {
            return ref(n.inputs().get(i));
        }

        private String weight(Node n, int i) {
            return weightRefs.get(n.weights().get(i));
        }

        private void emitNode(Node n) {
            Op op = n.op();
            String v = names.of(n.name());
            String name = sdName(v);
            String head = "SDVariable " + v + " = ";
            String comment = "   // " + where(n.source()) + " " + n.name() + ": " + op.kind() + " -> " + n.shape();
            if (QuantPlacement.quantizesInput(op) && quantAct) {
                String x = n.inputs().get(0);
                if (!onGrid.contains(x) && isQuantizable(x)) {
                    quantizeActivation(x);
                }
                if (onGrid.contains(x)) {
                    line("macInputObserver.put(" + str(sdPrefix + v) + ", " + str(observerOf(x)) + ");");
                }
            }
            NodeEmission out = new NodeEmission(n, head, name, comment);
            OpTraitsRegistry.emitTraining(op, out);
            String bias = out.bias;
            refs.put(n.name(), v);
            if (bias != null && !teacher) {
                line("biases.put(" + bias + ".name(), " + str(sdPrefix + v) + ");");
                line("biasWeight.put(" + bias + ".name(), " + names.of(n.weights().get(0)) + ".name());");
            }
            placeQuantization(n);
        }

        /** The node being emitted, as its op's traits see it ({@link OpTraitsRegistry#emitTraining}). */
        private final class NodeEmission implements TrainingEmission {
            private final Node n;
            private final String head;
            private final String name;
            private final String comment;
            private String bias;

            NodeEmission(Node n, String head, String name, String comment) {
                this.n = n;
                this.head = head;
                this.name = name;
                this.comment = comment;
            }

            @Override public String head() { return head; }
            @Override public String name() { return name; }
            @Override public String comment() { return comment; }
            @Override public String node() { return n.name(); }
            @Override public Shape shape() { return n.shape(); }
            @Override public int inputCount() { return n.inputs().size(); }
            @Override public String input(int i) { return in(n, i); }
            @Override public String rawInput(int i) { return raw(n.inputs().get(i)); }
            @Override public Shape inputShape(int i) { return GraphEmitter.this.node(n.inputs().get(i)).shape(); }
            @Override public String weight(int i) { return GraphEmitter.this.weight(n, i); }
            @Override public boolean teacher() { return teacher; }
            @Override public String network() { return g.name(); }
            @Override public String firstInput() { return raw(g.inputs().get(0).name()); }
            @Override public long firstInputSize() { return g.inputs().get(0).shape().size(); }
            @Override public void bias(String biasVariable) { bias = biasVariable; }
            @Override public void line(String javaLine) { TrainerGenerator.this.line(javaLine); }

            @Override
            public boolean inputIsSource(int i) {
                return g.node(n.inputs().get(i)).op() instanceof Source;
            }

            @Override
            public boolean learnableThreshold(int i) {
                Node th = g.node(n.inputs().get(i));
                return th.op() instanceof Source src && src.role() == Source.Role.PARAM && !th.weights().isEmpty()
                        && thresholdWeights.contains(th.weights().get(0));
            }

            @Override
            public java.util.OptionalDouble inlineConstant(int i) {
                String c = n.inputs().get(i);
                return constantsInline.contains(c) ? java.util.OptionalDouble.of(((Constant) g.node(c).op()).value())
                        : java.util.OptionalDouble.empty();
            }
        }
    }

    // ------------------------------------------------------------------ training

    /** {@code curriculum(progress)}: the stages of {@code curriculum layerwise}, one {@code c.stage(...)} line per unroll step. */
    private void emitCurriculum(boolean higher) {
        line("/**");
        line(" * curriculum layerwise(epochs=" + spec.curriculum().epochsPerStage() + "): before the epochs, stage k trains unroll step k alone on");
        line(" * loss_stage_k, the loss of its state, the steps before it frozen (stage 0 also trains the weights outside the");
        line(" * unroll block). A stage's weights start as the previous step's trained ones; each stage has a fresh Adam at the");
        line(" * train block's learning rate, decayed to 0.2x and 0.02x at 60 % and 85 % of its steps. In float.");
        line(" */");
        open("public List<Progress.StageRecord> curriculum(Progress.Listener progress) {");
        line("LayerwiseCurriculum c = LayerwiseCurriculum.on(sd).inputs(INPUTS).labels(LABELS)");
        line("        .epochsPerStage(curriculumEpochs).learningRate(" + num(learningRate()) + ")");
        line("        .metric(METRIC, " + higher + ", (g, stageOutput) -> metric(g, heldOutData, stageOutput));");
        line("if (progress != null) c.progress(progress);");
        for (CurriculumPlan.Stage st : curriculum.stages()) {
            if (st.trainable().isEmpty()) {
                line("// step " + st.step() + " has no weights of its own: no stage");
                continue;
            }
            List<String> trainable = st.trainable().stream().map(w -> str(graphNames.of(w))).toList();
            List<String> init = new ArrayList<>();
            st.initFrom().forEach((to, from) -> init.add(str(graphNames.of(to)) + ", " + str(graphNames.of(from))));
            String initMap = init.size() <= 10 ? "Map.of(" + String.join(", ", init) + ")"
                    : "Map.ofEntries(" + String.join(", ", init.stream().map(e -> "Map.entry(" + e + ")").toList()) + ")";
            line("c.stage(" + str(stageLosses.get(st.step())) + ", " + str(graphNames.of(st.state())) + ", List.of("
                    + String.join(", ", trainable) + "), " + initMap + ");");
        }
        line("return c.run(trainData);");
        close("}");
        line("");
    }

    private Value.Word optimizer() {
        return spec == null || spec.optimizer() == null ? Value.Word.of("adam") : spec.optimizer();
    }

    /** The train block's learning rate: {@code lr=}, else the optimizer's first argument, else 1e-3. */
    private double learningRate() {
        Value.Word opt = optimizer();
        return opt.number("lr", opt.positional().isEmpty() || !(opt.positional().get(0) instanceof Value.Num n) ? 1e-3 : n.value());
    }

    private String updater() {
        Value.Word opt = optimizer();
        double lr = learningRate();
        Value.Word sch = spec == null || spec.schedule() == null ? Value.Word.of("constant") : spec.schedule();
        String schedule = switch (sch.name()) {
            case "cosine" -> "Optimizers.cosine(" + num(lr) + ", " + num(sch.number("min", lr * 0.01)) + ", (long) epochs * batches)";
            case "step" -> "Optimizers.stepDecay(" + num(lr) + ", " + num(sch.number("gamma", 0.1)) + ", (long) "
                    + (int) sch.number("every", 10) + " * batches)   /* x gamma every " + (int) sch.number("every", 10) + " epochs */";
            case "exponential" -> "Optimizers.exponential(" + num(lr) + ", Math.pow(" + num(sch.number("gamma", 0.95)) + ", 1.0 / batches))   /* x gamma per epoch */";
            default -> "new FixedSchedule(" + num(lr) + ")";
        };
        return switch (opt.name()) {
            case "sgd" -> opt.number("momentum", 0) > 0 ? "new Nesterovs(" + schedule + ", " + num(opt.number("momentum", 0)) + ")" : "new Sgd(" + schedule + ")";
            case "rmsprop" -> "new RmsProp(" + schedule + ")";
            case "adamw" -> "new Adam(" + schedule + ")   /* adamw: ND4J 1.0.0-M2.1 has no decoupled weight decay; Adam */";
            default -> "new Adam(" + schedule + ")";
        };
    }

    private void emitTrain(String[] metric) {
        String output = curriculum == null ? "metricOutput" : "outputName";
        String metricCall = switch (metric[0]) {
            case "accuracy" -> "Evaluate.accuracy(g, data, List.of(INPUTS), " + output + ")";
            case "psnr_db" -> "psnr(g, data, " + output + ")";
            default -> "Evaluate.nmseDb(g, data, List.of(INPUTS), " + output + ")";
        };
        boolean higher = !metric[0].equals("nmse_db");
        line("/** The held-out metric (" + metric[0] + ") of the graph in its current fake-quant state. */");
        open("public double metric(SameDiff g, BatchSource data) {");
        line("return " + (curriculum == null ? metricCall : "metric(g, data, metricOutput)") + ";");
        close("}");
        line("");
        if (curriculum != null) {
            line("/** The held-out metric of any output of the graph (each curriculum stage reads its own step's state). */");
            open("public double metric(SameDiff g, BatchSource data, String outputName) {");
            line("return " + metricCall + ";");
            close("}");
            line("");
            emitCurriculum(higher);
        }
        line("/**");
        line(" * Opens the data, builds the graph, trains and writes {@code out/" + net.name() + ".safetensors}, {@code .metrics.json} and");
        line(" * {@code .curve.png}. Returns the held-out metrics ({@code float.<metric>}, {@code int8.<metric>}) and the final loss.");
        line(" */");
        open("public Map<String, Double> train(Path out, Progress.Listener progress) throws IOException {");
        line("Files.createDirectories(out);");
        line("if (teacherDir == null) teacherDir = out;");
        line("openData();");
        line("checkData();");
        line("int batches = trainData.batchesPerEpoch();");
        line("build(sd);");
        boolean q = quantized();
        line("boolean quantized = " + q + ";");
        line("int calibrationBatches = Math.min(20, batches);");
        line("boolean qat = quantized && qatFromEpoch >= 0 && qatFromEpoch < epochs;");
        line("if (quantized) FakeQuant.setEnabled(sd, false);   // float first");
        if (curriculum != null) {
            line("List<Progress.StageRecord> stages = curriculumEpochs > 0 ? curriculum(progress) : List.of();   // in float, before the epochs");
        }
        line("if (qat && qatFromEpoch == 0) Calibration.run(sd, trainData, List.of(INPUTS), calibrationBatches);   // observers warm-up, QAT on");
        line("Trainer trainer = Trainer.on(sd).inputs(INPUTS).labels(LABELS).loss(loss)");
        line("        .updater(" + updater() + ")");
        line("        .epochs(epochs)");
        line("        .metric(METRIC, " + higher + ", g -> metric(g, heldOutData));");
        line("if (progress != null) trainer.progress(progress);");
        open("if (qat && qatFromEpoch > 0) {");
        open("trainer.progress(new Progress.Listener() {   // switch QAT on after epoch qatFromEpoch: calibrate, then fake-quantize");
        line("@Override public void onBatch(Progress p) {}");
        open("@Override public void onEpochEnd(Progress.EpochRecord r) {");
        line("if (r.epoch() == qatFromEpoch) Calibration.run(sd, trainData, List.of(INPUTS), calibrationBatches);");
        close("}");
        close("});");
        close("}");
        line("Trainer.TrainResult result = trainer.fit(trainData);");
        line("");
        line("Map<String, Double> metrics = new LinkedHashMap<>();");
        line("if (quantized) FakeQuant.setEnabled(sd, false);");
        line("metrics.put(\"float.\" + METRIC, metric(sd, heldOutData));");
        open("if (quantized) {");
        line("if (!qat) Calibration.run(sd, trainData, List.of(INPUTS), calibrationBatches);   // post-training calibration (PTQ)");
        line("FakeQuant.setEnabled(sd, true);");
        line("Calibration.observers(sd).forEach(ActivationObserver::freeze);");
        line("metrics.put(\"int8.\" + METRIC, metric(sd, heldOutData));");
        close("}");
        line("metrics.put(\"loss\", result.epochs().isEmpty() ? Double.NaN : result.last().meanLoss());");
        line("");
        line("writeSafetensors(export(), out.resolve(NETWORK + \".safetensors\"));");
        line("MetricsReport report = new MetricsReport(NETWORK);");
        line("report.floatMetric(METRIC, metrics.get(\"float.\" + METRIC));");
        line("if (metrics.containsKey(\"int8.\" + METRIC)) report.int8Metric(METRIC, metrics.get(\"int8.\" + METRIC));");
        line("report.info(\"epochs\", epochs).info(\"batches_per_epoch\", batches).info(\"batch\", batch).info(\"steps\", result.steps())");
        line("        .info(\"qat_from_epoch\", qat ? qatFromEpoch : -1).info(\"held_out_examples\", heldOutData.examples())");
        if (curriculum != null) {
            line("        .info(\"curriculum_epochs_per_stage\", curriculumEpochs).stages(stages)");
        }
        line("        .epochs(result.epochs()).write(out.resolve(NETWORK + \".metrics.json\"));");
        line("TrainingCurve.writePng(out.resolve(NETWORK + \".curve.png\"), NETWORK, result.epochs());");
        line("return metrics;");
        close("}");
        line("");
        // export
        Compression.Quantization wq = compression().weights();
        boolean perTensor = wq != null && !wq.perChannel();
        line("/** The trained network as an int8 model: weights " + (perTensor ? "per tensor" : "per output channel")
                + ", biases int32, thresholds and other parameters float32, activation ranges from the observers. */");
        open("public Int8Model export() {");
        line("Int8Export.Builder model = Int8Export.builder(NETWORK).metadata(\"network\", NETWORK)");
        line("        .metadata(\"layout\", \"dense [in, out], conv [kH, kW, in/groups, out]; x.scale: per-channel scales\");");
        line("for (ActivationObserver o : Calibration.observers(sd)) if (o.isReady()) model.activation(o.name(), o.params());");
        line("for (String w : exportedWeights) model." + (perTensor ? "weightsPerTensor" : "weightsPerChannel") + "(w, sd.getArrForVarName(w));");
        open("for (Map.Entry<String, String> b : biases.entrySet()) {");
        line("ActivationObserver in = observer(macInputObserver.get(b.getValue()));");
        line("String weight = biasWeight.get(b.getKey());");
        line("if (in != null && in.isReady() && weight != null) model.bias(b.getKey(), sd.getArrForVarName(b.getKey()), in.params(), weight);");
        line("else model.floatTensor(b.getKey(), sd.getArrForVarName(b.getKey()));");
        close("}");
        line("for (String t : thresholds) model.floatTensor(t, Transforms.softPlus(sd.getArrForVarName(t), true));   // effective threshold");
        line("for (String p : params) model.floatTensor(p, sd.getArrForVarName(p));");
        line("return model.build();");
        close("}");
        line("");
    }

    private void emitHelpers() {
        line("// ---- helpers ----");
        line("");
        open("private ActivationObserver observer(String name) {");
        line("if (name == null) return null;");
        line("for (ActivationObserver o : Calibration.observers(sd)) if (o.name().equals(name)) return o;");
        line("return null;");
        close("}");
        line("");
        if (dataName().equals("synthetic_sparse")) {
            line("private INDArray dictionaryT, istaS;");
            line("");
            line("/** init=dictionary_t: LISTA's We = A^T / L for the dictionary A of the synthetic problem (L = ||A||_2^2), training layout. */");
            open("private INDArray dictionaryT() {");
            line("if (dictionaryT == null) dictionaryT = Inits.toRuntime(Inits.dictionaryT(problem().dictionary()));");
            line("return dictionaryT;");
            close("}");
            line("");
            line("/** init=ista_s: LISTA's S = I - A^T A / L, training layout. */");
            open("private INDArray istaS() {");
            line("if (istaS == null) istaS = Inits.toRuntime(Inits.istaS(problem().dictionary()));");
            line("return istaS;");
            close("}");
        } else {
            if (usesInit("dictionary_t") || usesInit("ista_s")) {
                open("private INDArray dictionaryT() {");
                line("throw new DataException(\"init=dictionary_t needs a synthetic_sparse data source (its dictionary A)\");");
                close("}");
                line("");
                open("private INDArray istaS() {");
                line("throw new DataException(\"init=ista_s needs a synthetic_sparse data source (its dictionary A)\");");
                close("}");
            }
        }
        line("");
        line("/** Mean PSNR (dB, peak 1) of {@code output} against the first label. */");
        open("static double psnr(SameDiff g, BatchSource data, String output) {");
        line("double err = 0;");
        line("long n = 0;");
        open("for (int b = 0; b < data.batchesPerEpoch(); b++) {");
        line("MultiDataSet m = data.batch(0, b);");
        line("INDArray p = Evaluate.run(g, m, List.of(INPUTS), output);");
        line("err += Metrics.sqErr(p, m.getLabels(0));");
        line("n += m.getLabels(0).length();");
        close("}");
        line("return 10 * Math.log10(1.0 / (err / n));");
        close("}");
        line("");
        line("/** At most {@code batches} batches per epoch of {@code source} (all when {@code batches <= 0}). */");
        open("static BatchSource limit(BatchSource source, int batches) {");
        line("if (batches <= 0 || batches >= source.batchesPerEpoch()) return source;");
        open("return new BatchSource() {");
        line("@Override public int batchesPerEpoch() { return batches; }");
        line("@Override public MultiDataSet batch(int epoch, int index) { return source.batch(epoch, index); }");
        close("};");
        close("}");
        line("");
        open("static Path requireDir(Path dir, String what) {");
        line("if (!Files.isDirectory(dir)) throw new DataException(what + \" \" + dir.toAbsolutePath().normalize() + \" does not exist or is not a directory\");");
        line("return dir;");
        close("}");
        line("");
        open("static Path requireFile(Path file, String what) {");
        line("if (!Files.isRegularFile(file)) throw new DataException(what + \" file \" + file.toAbsolutePath().normalize() + \" does not exist\");");
        line("return file;");
        close("}");
        line("");
        open("static void checkShape(String name, INDArray a, long... dims) {");
        line("long[] s = a.shape();");
        line("boolean ok = s.length == dims.length + 1;");
        line("for (int i = 0; ok && i < dims.length; i++) ok = s[i + 1] == dims[i];");
        line("if (!ok) throw new DataException(\"the data for '\" + name + \"' has shape \" + java.util.Arrays.toString(s)");
        line("        + \" but network \" + NETWORK + \" expects [batch, \" + java.util.Arrays.toString(dims).replaceAll(\"[\\\\[\\\\]]\", \"\") + \"]\");");
        close("}");
        line("");
        line("/** Writes an int8 model under runtime-core's artifact contract (Int8Artifact): tensor, {@code tensor.scale}, {@code act.<name>.scale|zero_point}. */");
        open("public static void writeSafetensors(Int8Model m, Path file) throws IOException {");
        line("Int8Artifact.Writer w = new Int8Artifact.Writer();");
        open("for (Int8Tensor t : m.tensors()) {");
        line("if (t.type() == Int8Tensor.Type.INT8) w.int8(t.name(), t.shape(), t.int8Data(), t.scales());");
        line("else if (t.type() == Int8Tensor.Type.INT32) w.int32(t.name(), t.shape(), t.int32Data(), t.scales());");
        line("else w.float32(t.name(), t.shape(), t.floatData());");
        close("}");
        line("m.activations().forEach(w::activation);");
        line("m.metadata().forEach(w::metadata);");
        line("w.write(file);");
        close("}");
        line("");
        boolean teachers = !net.sources(Source.Role.TEACHER).isEmpty();
        if (teachers) {
            open("private static SafetensorsReader openTeacher(Path file) {");
            line("if (!Files.isRegularFile(file)) {");
            line("    System.err.println(\"warning: \" + file + \" not found: the teacher distils from its initial (untrained) weights\");");
            line("    return null;");
            line("}");
            open("try {");
            line("return SafetensorsReader.open(file);");
            close("} catch (IOException e) {");
            indent++;
            line("throw new DataException(\"cannot read teacher weights \" + file + \": \" + e.getMessage(), e);");
            close("}");
            close("}");
            line("");
            line("/** A teacher weight from its safetensors (int8 dequantized with per-channel scales, or float32), else the fallback. */");
            open("private static INDArray teacherWeight(SafetensorsReader r, String name, INDArray fallback) {");
            line("if (r == null || !r.names().contains(name)) return fallback;");
            open("try {");
            line("float[] v;");
            open("if (r.names().contains(name + \".scale\")) {");
            line("float[] s = r.readFloat32(name + \".scale\");");
            line("String type = r.info(name).dtype().toString();");
            line("v = new float[(int) fallback.length()];");
            line("byte[] q8 = type.contains(\"8\") ? r.readInt8(name) : null;");
            line("int[] q32 = q8 == null ? r.readInt32(name) : null;");
            line("for (int i = 0; i < v.length; i++) v[i] = (q8 != null ? q8[i] : q32[i]) * s[s.length == 1 ? 0 : i % s.length];");
            close("} else {");
            indent++;
            line("v = r.readFloat32(name);");
            close("}");
            line("if (v.length != fallback.length()) return fallback;");
            line("return Nd4j.create(v, fallback.shape(), 'c');");
            close("} catch (IOException e) {");
            indent++;
            line("throw new DataException(\"cannot read teacher weight \" + name + \": \" + e.getMessage(), e);");
            close("}");
            close("}");
            line("");
            open("private static void closeQuietly(SafetensorsReader r) {");
            line("try { if (r != null) r.close(); } catch (IOException e) { /* read-only */ }");
            close("}");
            line("");
        }
    }

    private void emitMain(String cls) {
        line("/** {@code java " + cls + " [--epochs E] [--batches-per-epoch B] [--data-dir D] [--out DIR]} */");
        open("public static void main(String[] args) throws IOException {");
        line(cls + " t = new " + cls + "();");
        line("Path out = Path.of(\"out\");");
        open("for (int i = 0; i + 1 < args.length; i += 2) {");
        open("switch (args[i]) {");
        line("case \"--epochs\": t.epochs = Integer.parseInt(args[i + 1]); break;");
        line("case \"--batches-per-epoch\": t.batchesPerEpoch = Integer.parseInt(args[i + 1]); break;");
        line("case \"--data-dir\": t.dataDir = Path.of(args[i + 1]); break;");
        line("case \"--out\": out = Path.of(args[i + 1]); break;");
        line("default: throw new IllegalArgumentException(\"unknown option \" + args[i]);");
        close("}");
        close("}");
        line("System.out.println(t.train(out, ConsoleProgress.stdout()));");
        close("}");
    }
}
