package org.edgenn.generator.training;

import static org.edgenn.generator.training.TrainerWriter.dims;
import static org.edgenn.generator.training.TrainerWriter.num;
import static org.edgenn.generator.training.TrainerWriter.str;
import static org.edgenn.generator.training.TrainerWriter.where;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.JavaNames;
import org.edgenn.generator.ops.OpTraitsRegistry;
import org.edgenn.generator.ops.QuantPlacement;
import org.edgenn.generator.ops.TrainingEmission;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.CurriculumPlan;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.graph.Weight;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.Compression;
import org.edgenn.ir.spec.vocab.Initializer;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * Emits the statements of one network's graph (the trained network, or a frozen teacher): placeholders, weights with
 * their initial values, pruning and fake quantization, then every node in execution order, each through its op's
 * traits ({@link OpTraitsRegistry#emitTraining}), unrolled steps one after the other ({@code // step k}).
 */
final class GraphEmitter {
    private final TrainerWriter out;
    private final Network g;
    private final boolean teacher;
    private final String sdPrefix;
    final JavaNames names;
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, String> weightRefs = new HashMap<>();
    private final Set<String> thresholdWeights = new HashSet<>();
    private final Map<String, long[]> thresholdShapes = new HashMap<>();
    private final Set<String> constantsInline = new HashSet<>();
    private final boolean quantAct;
    /** Inference nodes with an int8 quantization, mapped to the node whose observer gives it (QuantPlacement). */
    private final Map<String, String> quantSource;
    /** The declared width of each observed node ({@link QuantPlacement#activationBits}). */
    private final Map<String, Integer> activationBits;
    /** Nodes whose variable already lies on an int8 grid (fake-quantized, or a quantization-preserving op of one). */
    private final Set<String> onGrid = new HashSet<>();
    private int lastStep = Integer.MIN_VALUE;
    private long seedOffset;
    private final Map<String, Node> stageNodes = new HashMap<>();

    GraphEmitter(TrainerWriter out, Network g, boolean teacher, String sdPrefix, JavaNames names) {
        this.out = out;
        this.g = g;
        this.teacher = teacher;
        this.sdPrefix = sdPrefix;
        this.names = names;
        this.quantAct = !teacher && g.compression() != null && g.compression().widestActivationBits() > 0;
        this.quantSource = quantAct ? QuantPlacement.sources(g) : Map.of();
        this.activationBits = quantAct ? QuantPlacement.activationBits(g) : Map.of();
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
    Map<Integer, String> emitStageLosses(CurriculumPlan plan) {
        Map<Integer, String> stageLosses = new HashMap<>();
        out.line("");
        out.line("// ---- curriculum layerwise: stage k trains step k alone on loss_stage_k, the loss of its state ----");
        for (CurriculumPlan.Stage st : plan.stages()) {
            if (st.state().equals(plan.output())) {
                out.line("// stage " + st.step() + ": the network's loss (" + plan.output() + " is the output)");
                stageLosses.put(st.step(), ref(g.loss()));
                continue;
            }
            out.line("// stage " + st.step() + ": the loss with " + plan.output() + " replaced by " + st.state());
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
        return stageLosses;
    }

    void emit() {
        List<Node> nodes = teacher ? g.inferenceNodes() : g.nodes();
        analyse(nodes);
        if (!teacher) {
            out.line("// ---- inputs and labels: placeholders, batch first ----");
            for (Node n : nodes) {
                Source.Role role = n.op().sourceRole();
                if (role == Source.Role.INPUT || role == Source.Role.LABEL) {
                    String v = names.of(n.name());
                    out.line("SDVariable " + v + " = sd.placeHolder(" + sdName(v) + ", DataType.FLOAT, -1, " + dims(n.shape()) + ");   // "
                            + where(n.source()) + " " + n.op().kind() + " " + n.name() + ": f32" + n.shape());
                    refs.put(n.name(), v);
                    if (role == Source.Role.INPUT && quantAct && quantSource.containsKey(n.name())) {
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
        out.line("");
        emitWeights(nodes);
        out.line("");
        out.line("// ---- graph, in execution order ----");
        for (Node n : nodes) {
            Source.Role role = n.op().sourceRole();
            if (role != null && role != Source.Role.ZEROS && role != Source.Role.TEACHER) {
                if (role == Source.Role.PARAM) {
                    refs.put(n.name(), weightRefs.get(n.weights().get(0)));
                }
                continue;
            }
            if (constantsInline.contains(n.name())) {
                continue;
            }
            if (n.step() != lastStep && n.step() >= 0) {
                out.line("// step " + n.step());
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
                if (th != null && th.op().sourceRole() == Source.Role.PARAM && !th.weights().isEmpty()) {
                    String w = th.weights().get(0);
                    thresholdWeights.add(w);
                    Shape x = n.shape();
                    boolean perChannel = x.rank() == 3 && th.shape().rank() == 1 && th.shape().dim(0) == x.dim(0) && x.dim(0) > 1;
                    thresholdShapes.put(w, perChannel ? new long[] {x.dim(0), 1, 1} : longs(th.shape()));
                }
            }
            if (n.op().constantValue().isPresent()) {
                List<Node> us = users.getOrDefault(n.name(), List.of());
                if (!us.isEmpty() && us.stream().allMatch(u -> OpTraitsRegistry.of(u.op()).inlinesScalarConstants(u.op())
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
        out.line("// ---- weights (training layout: dense [in, out], conv [kH, kW, in/groups, out]) ----");
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
                    + (w.init() == null ? "" : " init=" + Vocabulary.spell(w.init())) + (w.trainable() ? "" : " (fixed)")
                    + (g.weightUsers().get(w.name()).size() > 1 ? " (tied: " + g.weightUsers().get(w.name()).size() + " uses)" : "");
            boolean param = user.op().sourceRole() != null;
            if (param && thresholdWeights.contains(w.name()) && !teacher) {
                String theta0 = Initializers.thresholdValue(w.init());
                if (theta0 == null) {
                    throw new IllegalStateException(where(user.source()) + ": threshold " + w.name() + " has init=" + Vocabulary.spell(w.init())
                            + "; a threshold starts at a number or ista_threshold(lambda)");
                }
                out.line("SDVariable " + v + " = Shrink.thetaParam(sd, " + sdName(v) + ", " + theta0 + ", "
                        + dims(thresholdShapes.get(w.name())) + ");" + comment + " (raw rho; threshold = softplus(rho) > 0)");
                out.line("thresholds.add(" + v + ".name());");
                weightRefs.put(w.name(), v);
                continue;
            }
            long[] rt = param ? longs(w.shape()) : Initializers.runtimeShape(w.shape());
            if (param && thresholdShapes.containsKey(w.name())) {
                rt = thresholdShapes.get(w.name());
            }
            String init = initExpression(w, user, rt);
            if (teacher) {
                out.line("SDVariable " + v + " = sd.constant(" + sdName(v) + ", weights.weight(" + str(v) + ", " + init + "));" + comment);
            } else if (w.trainable()) {
                out.line("SDVariable " + v + " = Params.of(sd, " + sdName(v) + ", " + init + ");" + comment);
                out.line("initNames.put(" + v + ".name(), " + str(w.name()) + ");");
            } else {
                out.line("SDVariable " + v + " = sd.constant(" + sdName(v) + ", " + init + ");" + comment);
            }
            weightRefs.put(w.name(), v);
            if (teacher) {
                continue;
            }
            if (param) {
                out.line("params.add(" + v + ".name());");
                continue;
            }
            if (w.role().equals("bias")) {
                continue;
            }
            out.line("exportedWeights.add(" + v + ".name());");
            String eff = v;
            Compression.Pruning prune = pruningFor(w);
            if (prune != null && w.trainable()) {
                String pv = names.fresh(v + "_pruned");
                String sched = "PruneSchedule.gradualEpochs(" + num(prune.fraction()) + ", Math.max(0, pruneFromEpoch), "
                        + "pruneToEpoch > pruneFromEpoch ? pruneToEpoch : Math.max(1, epochs * 3 / 4), batches)";
                String call = switch (prune.structure()) {
                    case CHANNELS -> "Pruning.channels(sd, " + eff + ", " + sched + ", " + biasOf(w) + ")";   // its bias zeroed with it
                    case UNSTRUCTURED -> "Pruning.magnitude(sd, " + eff + ", " + sched + ")";
                    case N_M -> "Pruning.nm(sd, " + eff + ", " + prune.n() + ", " + prune.m() + ", " + sched + ")";
                };
                out.line("SDVariable " + pv + " = " + call + ";   // prune " + prune.spelling());
                eff = pv;
            }
            Compression.Quantization q = g.compression() == null ? null : g.compression().weightsOf(w.layer());
            if (q != null) {
                String qv = names.fresh(v + "_q");
                out.line("SDVariable " + qv + " = FakeQuant." + (q.perChannel() ? "weightsPerChannel" : "weightsPerTensor") + "(sd, " + eff + ", " + q.bits() + ");");
                if (q.bits() != 8 || q.perChannel() == perTensorDefault()) {
                    // exported at its own width and granularity (the network default is the export loop's)
                    out.line("weightFormats.put(" + v + ".name(), new Int8Export.Format(" + q.bits() + ", " + q.perChannel() + "));");
                }
                eff = qv;
            }
            weightRefs.put(w.name(), eff);
        }
    }

    /** The export loop's granularity: per tensor when the network's default weights are per tensor. */
    private boolean perTensorDefault() {
        return g.compression().weights() != null && !g.compression().weights().perChannel();
    }

    /** The graph name of the bias of {@code w}'s layer (zeroed with pruned channels), as a Java literal, or null. */
    private String biasOf(Weight w) {
        String bias = w.name().endsWith(".weight") ? w.name().substring(0, w.name().length() - ".weight".length()) + ".bias" : null;
        return g.weights().stream().anyMatch(x -> x.name().equals(bias)) ? sdName(names.of(bias)) : "null";
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
        return Initializers.expression(w, user.op().sourceRole() != null, rt, "seed + " + seedOffset);
    }

    // -------------------------------------------------------------- nodes

    private void quantizeActivation(String node) {
        String v = refs.get(node);
        String q = names.fresh(v + "_q");
        int bits = activationBits.getOrDefault(node, 8);
        out.line("SDVariable " + q + " = FakeQuant.activations(sd, " + v + ", ActivationObserver.ema(" + str(v) + ", 0.99"
                + (bits == 8 ? "" : ", " + bits) + "));");
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
        Source.Role role = n.op().sourceRole();
        return n.op().constantValue().isEmpty() && role != Source.Role.ZEROS && role != Source.Role.PARAM;
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
                out.line("macInputObserver.put(" + str(sdPrefix + v) + ", " + str(observerOf(x)) + ");");
            }
        }
        NodeEmission out = new NodeEmission(n, head, name, comment);
        OpTraitsRegistry.emitTraining(op, out);
        String bias = out.bias;
        refs.put(n.name(), v);
        if (bias != null && !teacher) {
            out.line("biases.put(" + bias + ".name(), " + str(sdPrefix + v) + ");");
            out.line("biasWeight.put(" + bias + ".name(), " + names.of(n.weights().get(0)) + ".name());");
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
        @Override public void line(String javaLine) { out.line(javaLine); }

        @Override
        public boolean inputIsSource(int i) {
            return g.node(n.inputs().get(i)).op().sourceRole() != null;
        }

        @Override
        public boolean learnableThreshold(int i) {
            Node th = g.node(n.inputs().get(i));
            return th.op().sourceRole() == Source.Role.PARAM && !th.weights().isEmpty()
                    && thresholdWeights.contains(th.weights().get(0));
        }

        @Override
        public java.util.OptionalDouble inlineConstant(int i) {
            String c = n.inputs().get(i);
            return constantsInline.contains(c) ? g.node(c).op().constantValue() : java.util.OptionalDouble.empty();
        }
    }
}
