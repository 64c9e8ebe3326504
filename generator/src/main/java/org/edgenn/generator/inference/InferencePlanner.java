package org.edgenn.generator.inference;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import org.edgenn.generator.JavaNames;
import org.edgenn.generator.inference.plan.InferencePlan;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Quant;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Scalar;
import org.edgenn.generator.inference.plan.InferencePlan.Step;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.ops.Lowering;
import org.edgenn.generator.ops.LoweringContext;
import org.edgenn.generator.ops.OpTraits;
import org.edgenn.generator.ops.OpTraitsRegistry;
import org.edgenn.generator.ops.QuantPlacement;
import org.edgenn.generator.ops.QuantRole;
import org.edgenn.ir.SourceRef;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Op;

/**
 * Lowers a network's inference nodes to an {@link InferencePlan}, node by node in execution order. Each node lowers
 * through its op's traits ({@link OpTraits#lower}); this class keeps the plan under construction and the rules every
 * op shares: a tensor's quantization follows {@link QuantPlacement} (the op's {@link QuantRole}), a parameter or
 * constant is a scalar operand only where the op takes one, and a ReLU-like node (one with an
 * {@link OpTraits#int8Clamp}) is folded into the dense, convolution, addition or subtraction it follows when that
 * is its only consumer. What cannot run in int8 is a {@link PlanResult.Unsupported} naming the node and the reason.
 */
public final class InferencePlanner implements LoweringContext {
    private final Network net;
    private final JavaNames artifact;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<Node>> users = new HashMap<>();
    /** IR node → the tensor holding its value (itself, or the step it was folded into). */
    private final Map<String, String> tensorOf = new HashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Scalar> scalars = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    /** Declared activation width of every observed node ({@link QuantPlacement#activationBits}); 8 where absent. */
    private final Map<String, Integer> widths;

    private InferencePlanner(Network net) {
        this.net = net;
        this.artifact = JavaNames.forArtifact(net);
        this.widths = QuantPlacement.activationBits(net);
        for (Node n : net.inferenceNodes()) {
            nodes.put(n.name(), n);
            for (String in : n.inputs()) {
                users.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    /** @throws UnsupportedInferenceException naming the first node that has no int8 lowering */
    public static InferencePlan plan(Network net) {
        return attempt(net).orElseThrow();
    }

    /**
     * The plan, or the first node that has no int8 lowering and why. Planned on the compact network: channel-pruned
     * layers and their readers with the kept channels only ({@code ChannelPruning}), as the trainer exports them.
     */
    public static PlanResult attempt(Network net) {
        return new InferencePlanner(org.edgenn.ir.graph.ChannelPruning.compact(net).network()).build();
    }

    /** {@code lista.edgenn:19}, or "" when unknown. */
    static String where(SourceRef r) {
        if (r == null || r.file().isEmpty()) {
            return "";
        }
        return Path.of(r.file()).getFileName() + ":" + r.line();
    }

    private PlanResult build() {
        List<Node> inputs = net.inputs().stream().filter(n -> nodes.containsKey(n.name())).toList();
        if (net.outputs().size() != 1) {
            return unsupported(net.nodes().get(net.nodes().size() - 1), "int8 inference needs exactly one output, the network has " + net.outputs());
        }
        if (inputs.size() != 1) {
            Node any = inputs.isEmpty() ? net.node(net.outputs().get(0)) : inputs.get(1);
            return unsupported(any, "int8 inference needs exactly one input, the output depends on " + inputs.size());
        }
        for (Node n : nodes.values()) {
            Integer bits = widths.get(n.name());
            if (bits != null && bits != 8 && bits != 16) {
                return unsupported(n, "its activation is declared int" + bits + "; the generated inference code runs 8- and 16-bit "
                        + "activations (weights of 2, 4 and 8 bits)");
            }
        }
        for (Node n : nodes.values()) {
            if (!tensorOf.containsKey(n.name()) && !scalars.containsKey(n.name())) {
                int before = steps.size();
                if (lower(n) instanceof Lowering.Unsupported u) {
                    return unsupported(n, u.reason());
                }
                for (Step s : steps.subList(before, steps.size())) {
                    String wide = wideUnsupported(s);
                    if (wide != null) {
                        return unsupported(n, wide);
                    }
                }
            }
        }
        Tensor in = tensors.get(inputs.get(0).name());
        Tensor out = tensor(net.outputs().get(0));
        return new PlanResult.Planned(new InferencePlan(net.name(), net.javaPackage(), where(net.source()), in, out,
                List.copyOf(tensors.values()), steps));
    }

    /**
     * Why step {@code s} cannot run with the 16-bit tensors it touches, or null: the runtime has 16-bit kernels for
     * dense and convolution layers (int16 input and/or output), additions and subtractions, the soft threshold,
     * support selection and tables from an 8-bit input.
     */
    private String wideUnsupported(Step s) {
        boolean wide = tensors.get(s.output()).quant().bits() > 8;
        for (String in : s.inputs()) {
            wide |= tensors.get(in).quant().bits() > 8;
        }
        if (!wide || s instanceof InferencePlan.Mac || s instanceof InferencePlan.Sum || s instanceof InferencePlan.Shrink
                || s instanceof InferencePlan.Select) {
            return null;
        }
        if (s instanceof InferencePlan.Table t && tensors.get(t.input()).quant().bits() == 8) {
            return null;   // 256 entries of 16 bits: an 8-bit value mapped into a 16-bit tensor
        }
        return "its " + s.kernelType() + " step touches a 16-bit activation; the runtime runs 16-bit activations through dense, "
                + "convolution, add/subtract, soft-threshold and support-selection steps, and tables from 8 to 16 bits";
    }

    private Lowering lower(Node n) {
        Op op = n.op();
        OpTraits<Op> traits = OpTraitsRegistry.of(op);
        for (int i = 0; i < n.inputs().size(); i++) {
            if (scalars.containsKey(n.inputs().get(i)) && !traits.takesScalar(op, i)) {
                return Lowering.unsupported("a parameter or constant is used as a tensor; only scalar operands of arithmetic are lowered");
            }
        }
        return traits.lower(op, n, this);
    }

    private PlanResult unsupported(Node n, String reason) {
        return new PlanResult.Unsupported(n.name(), n.op().kind(), where(n.source()), reason);
    }

    // ---------------------------------------------------------------- LoweringContext

    @Override
    public Node node(String name) {
        return nodes.get(name);
    }

    @Override
    public boolean isScalar(String node) {
        return scalars.containsKey(node);
    }

    @Override
    public Scalar scalar(String node) {
        return scalars.get(node);
    }

    @Override
    public Tensor tensor(String node) {
        String t = tensorOf.get(node);
        if (t == null) {
            throw new IllegalStateException("node " + node + " used as a tensor before it is lowered (or it is a scalar operand)");
        }
        return tensors.get(t);
    }

    @Override
    public void defineScalar(Node n, Scalar value) {
        scalars.put(n.name(), value);
    }

    @Override
    public Tensor define(Node n, Role role) {
        QuantRole q = OpTraitsRegistry.quantRole(n.op());
        if (q.observed()) {
            return define(n, role, observed(n));
        }
        if (q == QuantRole.PRESERVES) {
            return define(n, role, input(n, 0).quant());
        }
        throw new IllegalStateException(n.name() + " (" + n.op().kind() + ") has no int8 quantization to define a tensor with");
    }

    @Override
    public Tensor define(Node n, Role role, Quant q) {
        int[] shape = n.shape().rank() == 0 ? new int[] {1} : n.shape().dims();
        Tensor t = new Tensor(n.name(), role, shape, q);
        tensors.put(n.name(), t);
        tensorOf.put(n.name(), n.name());
        return t;
    }

    @Override
    public Tensor intermediate(String name, int[] shape, Quant quant) {
        Tensor t = new Tensor(name, Role.COMPUTED, shape, quant);
        tensors.put(name, t);
        return t;
    }

    @Override
    public Quant observed(Node n) {
        return Quant.observed(artifact.of(n.name()), widths.getOrDefault(n.name(), 8));
    }

    @Override
    public String artifactName(String irName) {
        return artifact.of(irName);
    }

    @Override
    public String where(Node n) {
        return where(n.source());
    }

    @Override
    public void add(Step step) {
        steps.add(step);
    }

    @Override
    public Node foldConsumer(Node n) {
        List<Node> us = users.getOrDefault(n.name(), List.of());
        if (us.size() != 1 || net.outputs().contains(n.name())) {
            return null;
        }
        Node u = us.get(0);
        if (clampOf(u) == null) {
            return null;
        }
        tensorOf.put(u.name(), n.name());
        return u;
    }

    @Override
    public Bounds clampOf(Node n) {
        return OpTraitsRegistry.of(n.op()).int8Clamp(n.op());
    }
}
