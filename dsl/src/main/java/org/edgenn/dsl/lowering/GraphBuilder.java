package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.CallArg;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.TensorType;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.Shape;
import org.edgenn.ir.ShapeException;
import org.edgenn.ir.SourceRef;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.graph.Weight;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.ops.WeightSpec;
import org.edgenn.ir.spec.vocab.Initializer;

/**
 * The graph a {@link NetworkLowering} builds: nodes in execution order with their inferred shapes, weights (one per
 * tied layer, one per step for indexed ones) and the unrolled step being expanded. {@link NetworkLowering} walks the
 * AST (declarations, statements, expressions); this class owns what it produces, so a shape error, a clash of tied
 * weights or a repeated name is decided in one place.
 */
final class GraphBuilder {
    private final Problems problems;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byName = new HashMap<>();
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    /** Parameter tensors become source nodes once, on first use: weight name -> node. */
    private final Map<String, String> paramNodes = new HashMap<>();
    /** The unrolled step being expanded, -1 outside {@code unroll}. */
    private int step = -1;

    GraphBuilder(Problems problems) {
        this.problems = problems;
    }

    int step() {
        return step;
    }

    void step(int k) {
        step = k;
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Weight> weights() {
        return List.copyOf(weights.values());
    }

    /**
     * Adds a node after checking its input shapes. A shape problem goes on the argument it concerns
     * ({@code args}, in input order) or else on {@code at}. Returns the node's unique name, or null.
     */
    String add(String name, Op op, List<String> inputs, List<String> weightNames, EObject at,
                       EStructuralFeature feature, List<? extends EObject> args) {
        Shape shape;
        try {
            shape = op.outputShape(inputs.stream().map(i -> node(i).shape()).toList());
        } catch (ShapeException ex) {
            int i = ex.inputIndex();
            if (i >= 0 && i < args.size() && args.get(i) != null) {
                problems.error(args.get(i), null, IssueCodes.SHAPE_MISMATCH, ex.getMessage());
            } else {
                problems.error(at, feature, IssueCodes.SHAPE_MISMATCH, ex.getMessage());
            }
            return null;
        }
        String unique = uniqueName(name);
        Node n = new Node(unique, op, inputs, shape, weightNames, step, false, ref(at));
        nodes.add(n);
        byName.put(unique, n);
        return unique;
    }

    String uniqueName(String name) {
        if (!byName.containsKey(name)) {
            return name;
        }
        int i = 2;
        while (byName.containsKey(name + "#" + i)) {
            i++;
        }
        return name + "#" + i;
    }

    Node node(String name) {
        return byName.get(name);
    }

    Shape shape(TensorType type) {
        if (type == null || type.getDims().isEmpty()) {
            return null;
        }
        for (int i = 0; i < type.getDims().size(); i++) {
            if (type.getDims().get(i) < 1) {
                problems.error(type, TENSOR_TYPE__DIMS, i, IssueCodes.SHAPE_MISMATCH, "dimensions must be positive");
                return null;
            }
        }
        return Shape.of(type.getDims().stream().mapToInt(Integer::intValue).toArray());
    }

    private static SourceRef ref(EObject at) {
        return Sources.of(at);
    }

    List<String> weightsFor(Op op, String prefix, String layer, boolean trainable, OpCall spec) {
        Initializer init = null;
        EObject initAt = null;
        for (CallArg a : spec.getArgs()) {
            if (a instanceof Attribute attr && "init".equals(attr.getName()) && attr.getValue() instanceof WordValue) {
                init = TermLowering.initializer(attr.getValue(), problems); // reported once: Problems drops repeats
                initAt = attr.getValue();
            }
        }
        List<String> names = new ArrayList<>();
        for (WeightSpec ws : op.weights()) {
            String n = prefix + "." + ws.role();
            Weight existing = weights.get(n);
            if (existing == null && WeightSpec.WEIGHT.equals(ws.role())) {
                checkFile(init, initAt, "the " + ws.role() + " of layer " + layer, ws.shape());
            }
            if (existing == null) {
                weights.put(n, new Weight(n, layer, ws.role(), ws.shape(), trainable,
                        WeightSpec.WEIGHT.equals(ws.role()) ? init : null));
            } else if (!existing.shape().equals(ws.shape())) {
                problems.error(spec, OP_CALL__OP, IssueCodes.SHAPE_MISMATCH, "tied layer " + layer + " is applied with "
                        + "weights " + ws.shape() + " here but " + existing.shape() + " elsewhere");
            }
            names.add(n);
        }
        return names;
    }

    String paramNode(ParamDecl param, int index) {
        String weightName = param.getName() + (index >= 0 ? "[" + index + "]" : "");
        String existing = paramNodes.get(weightName);
        if (existing != null) {
            return existing;
        }
        Shape shape = shape(param.getType());
        if (shape == null) {
            return null;
        }
        Initializer init = param.getInit() == null ? null : TermLowering.initializer(param.getInit(), problems);
        if (index <= 0) {
            checkFile(init, param.getInit(), "param " + param.getName(), shape);
        }
        if (init instanceof Initializer.FistaMomentum && index < 0) {
            problems.error(param.getInit(), IssueCodes.BAD_ARGUMENT_TYPE, "fista_momentum gives each step its own value: declare "
                    + param.getName() + "[N] and use " + param.getName() + "[k]");
        }
        weights.put(weightName, new Weight(weightName, param.getName(), WeightSpec.WEIGHT, shape, true, init));
        String n = add(weightName, new Source(Source.Role.PARAM, shape, weightName), List.of(), List.of(weightName),
                param, PARAM_DECL__NAME, List.of());
        if (n != null) {
            paramNodes.put(weightName, n);
        }
        return n;
    }

    /**
     * A weight's values from a file (a known operator: {@code init=file("A.npy")}, {@code file("A.mat", var="A")}) are
     * read now: the file must hold exactly the weight's shape in the IR layout ({@code (out, in)} for dense, the
     * matrix {@code W} of {@code y = W x}); a text file the same number of values.
     */
    private void checkFile(Initializer init, EObject at, String what, Shape shape) {
        if (!(init instanceof Initializer.File f) || at == null) {
            return;
        }
        if (f.var() != null && !f.path().toLowerCase(java.util.Locale.ROOT).endsWith(".mat")) {
            problems.error(at, IssueCodes.BAD_DATA_FILE, f.path() + ": var names a variable of a MATLAB .mat file; this file holds one array");
            return;
        }
        DataFiles.check(at, f.path(), f.var(), what, shape.dims(), problems);
    }

    /** Several loss statements (and per-step ones) add up to one {@code loss} node. */
    String totalLoss(List<String> lossTerms, EObject network) {
        if (lossTerms.isEmpty()) {
            return null;
        }
        String total = lossTerms.get(0);
        for (int i = 1; i < lossTerms.size(); i++) {
            String sum = i == lossTerms.size() - 1 ? "loss" : "loss.sum" + i;
            total = add(sum, new Elementwise(Elementwise.Kind.ADD), List.of(total, lossTerms.get(i)), List.of(), network,
                    NETWORK__NAME, List.of());
        }
        return total;
    }

    /** Nodes the outputs do not depend on exist for training only (losses, labels, teachers). */
    void markTrainingOnly(List<String> outputs) {
        Set<String> needed = new HashSet<>(outputs);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (needed.contains(nodes.get(i).name())) {
                needed.addAll(nodes.get(i).inputs());
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!needed.contains(n.name())) {
                nodes.set(i, new Node(n.name(), n.op(), n.inputs(), n.shape(), n.weights(), n.step(), true, n.source()));
            }
        }
    }
}
