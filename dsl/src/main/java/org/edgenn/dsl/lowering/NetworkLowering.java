package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.edgenn.dsl.edgeNN.Assign;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.Binary;
import org.edgenn.dsl.edgeNN.CallArg;
import org.edgenn.dsl.edgeNN.Channels;
import org.edgenn.dsl.edgeNN.Compress;
import org.edgenn.dsl.edgeNN.Expr;
import org.edgenn.dsl.edgeNN.Input;
import org.edgenn.dsl.edgeNN.Label;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.LetDecl;
import org.edgenn.dsl.edgeNN.LossStmt;
import org.edgenn.dsl.edgeNN.Member;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Negate;
import org.edgenn.dsl.edgeNN.NumberLit;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.Output;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.Precision;
import org.edgenn.dsl.edgeNN.StateDecl;
import org.edgenn.dsl.edgeNN.Statement;
import org.edgenn.dsl.edgeNN.StepIndex;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.edgeNN.SymbolRef;
import org.edgenn.dsl.edgeNN.Teacher;
import org.edgenn.dsl.edgeNN.TensorType;
import org.edgenn.dsl.edgeNN.Unroll;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Constant;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.Dense;
import org.edgenn.ir.ops.DenseTransposed;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Source;

/**
 * Lowers one network of the AST to the IR: expands every unrolled step, infers every shape through
 * the ops, creates weights (one per tied layer, one per step for indexed ones) and collects every
 * problem on the text it concerns. Never throws on bad input: a network with errors lowers to null.
 */
public final class NetworkLowering {

    /** The lowered network (null when there were errors) and every problem found. */
    public record Result(org.edgenn.ir.graph.Network network, Problems problems) {
    }

    /** What lowering needs to know of other networks: a teacher's output shape and inputs, or null if it has errors. */
    public interface Teachers extends Function<org.edgenn.dsl.edgeNN.Network, org.edgenn.ir.graph.Network> {
    }

    private final org.edgenn.dsl.edgeNN.Network ast;
    private final Teachers teachers;
    private final Problems problems = new Problems();
    /** The nodes and weights lowered so far. */
    private final GraphBuilder graph = new GraphBuilder(problems);
    /** The node currently holding each value symbol (states change as steps go by). */
    private final Map<Symbol, String> env = new HashMap<>();
    private final List<String> lossTerms = new ArrayList<>();
    private final Set<EObject> used = new HashSet<>();
    /** Values whose definition failed: their error is reported there, uses stay silent. */
    private final Set<Symbol> failed = new HashSet<>();
    private boolean inLoss;

    private NetworkLowering(org.edgenn.dsl.edgeNN.Network ast, Teachers teachers) {
        this.ast = ast;
        this.teachers = teachers;
    }

    public static Result lower(org.edgenn.dsl.edgeNN.Network network, Teachers teachers) {
        NetworkLowering l = new NetworkLowering(network, teachers);
        org.edgenn.ir.graph.Network ir = l.run();
        return new Result(l.problems.hasErrors() ? null : ir, l.problems);
    }

    private org.edgenn.ir.graph.Network run() {
        List<String> outputs = new ArrayList<>();
        var compression = org.edgenn.ir.spec.Compression.NONE;
        Compress compress = null;
        boolean sawOutput = false;
        for (Member m : ast.getMembers()) {
            if (m instanceof Input in) {
                source(in, in.getName(), Source.Role.INPUT, in.getType(), in.getName());
            } else if (m instanceof Label lb) {
                source(lb, lb.getName(), Source.Role.LABEL, lb.getType(), lb.getName());
            } else if (m instanceof Teacher t) {
                teacher(t);
            } else if (m instanceof StateDecl s) {
                state(s);
            } else if (m instanceof Statement st) {
                statement(st);
            } else if (m instanceof Unroll u) {
                unroll(u);
            } else if (m instanceof Output o) {
                sawOutput = true;
                for (int i = 0; i < o.getValues().size(); i++) {
                    String v = valueOf(o.getValues().get(i), o, OUTPUT__VALUES, i);
                    if (v != null) {
                        outputs.add(v);
                    }
                }
            } else if (m instanceof Compress c) {
                compression = CompressionLowering.lower(c, problems);
                compress = c;
            }
        }
        if (compress != null) { // after every member: the compress block may come first
            // learned parameters (thresholds) stay float: they are neither quantized weights nor activations
            java.util.Set<String> params = new java.util.HashSet<>();
            graph.nodes().stream().filter(n -> n.op().sourceRole() == Source.Role.PARAM)
                    .forEach(n -> params.addAll(n.weights()));
            CompressionLowering.checkOverrides(compress, graph.weights().stream()
                            .filter(w -> w.role().equals("weight") && !params.contains(w.name())).map(w -> w.layer()).toList(),
                    graph.nodes().stream().filter(n -> n.op().sourceRole() != Source.Role.PARAM)
                            .map(Node::name).toList(), problems);
        }
        if (!sawOutput) {
            problems.error(ast, NETWORK__NAME, IssueCodes.NO_OUTPUT, "network " + ast.getName() + " declares no output");
        }
        warnUnused();
        compression = TransposedLayers.perTensor(compression, transposed);
        String loss = graph.totalLoss(lossTerms, ast);
        graph.markTrainingOnly(outputs);
        Model model = (Model) org.eclipse.xtext.EcoreUtil2.getRootContainer(ast);
        String pkg = model == null || model.getName() == null ? "" : model.getName();
        return new org.edgenn.ir.graph.Network(ast.getName(), pkg, graph.nodes(), graph.weights(), outputs, loss,
                compression, Sources.of(ast));
    }

    // ----------------------------------------------------------------------------- declarations

    private void source(Symbol decl, String name, Source.Role role, TensorType type, String reference) {
        Shape shape = graph.shape(type);
        if (shape == null) {
            failed.add(decl);
            return;
        }
        if (type.getDtype() != Precision.F32 && type.getDtype() != Precision.F16) {
            problems.error(type, TENSOR_TYPE__DTYPE, IssueCodes.BAD_PRECISION, "values are real-valued (f32 or f16); "
                    + "integer precision comes from the compress block");
        }
        define(decl, graph.add(name, new Source(role, shape, reference), List.of(), List.of(), decl, null, List.of()));
    }

    /** Binds a symbol to the node holding its value now, or marks its definition failed. */
    private void define(Symbol symbol, String node) {
        if (node == null) {
            env.remove(symbol);
            failed.add(symbol);
        } else {
            env.put(symbol, node);
            failed.remove(symbol);
        }
    }

    private void teacher(Teacher t) {
        if (t.getNetwork() == null || t.getNetwork().eIsProxy()) {
            failed.add(t);
            return; // unresolved: the linker reports it
        }
        org.edgenn.ir.graph.Network other = teachers.apply(t.getNetwork());
        if (other == null) {
            problems.error(t, TEACHER__NETWORK, IssueCodes.TEACHER_CYCLE, "teacher network " + t.getNetwork().getName()
                    + " has errors or depends on this network");
            return;
        }
        if (other.outputs().size() != 1) {
            problems.error(t, TEACHER__NETWORK, IssueCodes.TEACHER_INPUTS, "a teacher needs exactly one output, "
                    + other.name() + " has " + other.outputs().size());
            return;
        }
        for (Node in : other.inputs()) {
            boolean matched = graph.nodes().stream().anyMatch(n -> n.name().equals(in.name())
                    && n.op().sourceRole() == Source.Role.INPUT && n.shape().equals(in.shape()));
            if (!matched) {
                problems.error(t, TEACHER__NETWORK, IssueCodes.TEACHER_INPUTS, "teacher " + other.name() + " reads input "
                        + in.name() + ": " + in.shape() + ", which this network does not declare before it");
                return;
            }
        }
        Shape shape = other.node(other.outputs().get(0)).shape();
        define(t, graph.add(t.getName(), new Source(Source.Role.TEACHER, shape, other.name()),
                other.inputs().stream().map(Node::name).toList(), List.of(), t, null, List.of()));
    }

    private void state(StateDecl s) {
        Shape shape = graph.shape(s.getType());
        if (shape == null) {
            failed.add(s);
            return;
        }
        String init;
        if (s.getInit() == null || isZero(s.getInit())) {
            init = graph.add(s.getName() + ".init", new Source(Source.Role.ZEROS, shape, s.getName()), List.of(), List.of(),
                    s, null, List.of());
        } else {
            init = expr(s.getInit(), s.getName() + ".init");
            if (init != null && !graph.node(init).shape().equals(shape)) {
                problems.error(s, STATE_DECL__INIT, IssueCodes.STATE_SHAPE, "state " + s.getName() + " is " + shape
                        + " but its initial value is " + graph.node(init).shape());
                init = null;
            }
        }
        define(s, init);
    }

    private static boolean isZero(Expr e) {
        return e instanceof NumberLit n && n.getValue() == 0;
    }

    private void unroll(Unroll u) {
        if (u.getCount() < 1) {
            problems.error(u, UNROLL__COUNT, IssueCodes.BAD_COUNT, "unroll needs at least one step");
            return;
        }
        Map<Symbol, String> outside = new HashMap<>(env);
        for (int k = 0; k < u.getCount(); k++) {
            graph.step(k);
            for (Statement s : u.getBody()) {
                statement(s);
            }
        }
        graph.step(-1);
        // lets of the body are step-local; states keep their last value
        for (Statement s : u.getBody()) {
            if (s instanceof LetDecl let) {
                env.remove(let);
                if (outside.containsKey(let)) {
                    env.put(let, outside.get(let));
                }
            }
        }
    }

    private void statement(Statement s) {
        if (s instanceof LetDecl let) {
            define(let, expr(let.getValue(), stepped(let.getName())));
        } else if (s instanceof Assign a) {
            StateDecl state = a.getState();
            if (state == null || state.eIsProxy()) {
                return;
            }
            String v = expr(a.getValue(), stepped(state.getName()));
            if (v == null) {
                define(state, null);
                return;
            }
            Shape declared = graph.shape(state.getType());
            if (declared != null && !graph.node(v).shape().equals(declared)) {
                problems.error(a, ASSIGN__VALUE, IssueCodes.STATE_SHAPE, "state " + state.getName() + " is " + declared
                        + " but is assigned " + graph.node(v).shape());
                define(state, null);
                return;
            }
            define(state, v);
        } else if (s instanceof LossStmt l) {
            inLoss = true;
            String v = expr(l.getValue(), stepped("loss"));
            inLoss = false;
            if (v != null) {
                if (graph.node(v).shape().rank() != 0) {
                    problems.error(l, LOSS_STMT__VALUE, IssueCodes.LOSS_NOT_SCALAR, "a loss must be a scalar, this is "
                            + graph.node(v).shape() + "; use a loss such as mse(x, t) or l1(x)");
                } else {
                    lossTerms.add(v);
                }
            }
        }
    }

    private String stepped(String name) {
        return graph.step() < 0 ? name : name + "[" + graph.step() + "]";
    }

    // ----------------------------------------------------------------------------- expressions

    /** Lowers an expression; its root node gets {@code name}, inner nodes {@code name.op}. Null after an error. */
    private String expr(Expr e, String name) {
        if (e == null) {
            return null; // syntax error, reported by the parser
        }
        if (e instanceof NumberLit n) {
            return graph.add(name, new Constant(n.getValue()), List.of(), List.of(), e, null, List.of());
        }
        if (e instanceof Negate neg) {
            String x = expr(neg.getOperand(), child(name, neg.getOperand()));
            String minusOne = graph.add(name + ".minus1", new Constant(-1), List.of(), List.of(), e, null, List.of());
            return x == null || minusOne == null ? null
                    : graph.add(name, new Elementwise(Elementwise.Kind.MUL), List.of(x, minusOne), List.of(), e, null,
                            List.of(neg.getOperand(), e));
        }
        if (e instanceof Binary b) {
            String l = expr(b.getLeft(), child(name, b.getLeft()));
            String r = expr(b.getRight(), child(name, b.getRight()));
            if (l == null || r == null) {
                return null;
            }
            return graph.add(name, new Elementwise(Elementwise.Kind.ofSymbol(b.getOp())), List.of(l, r), List.of(), b, null,
                    List.of(b.getLeft(), b.getRight()));
        }
        if (e instanceof SymbolRef ref) {
            return symbolRef(ref, name);
        }
        return opCall((OpCall) e, name);
    }

    /** The name of a sub-expression's node: its parent's name and its own op ({@code c1.conv2d}, {@code x[3].add}). */
    private static String child(String parent, Expr e) {
        if (e instanceof OpCall c) {
            return parent + "." + c.getOp();
        }
        if (e instanceof Binary b) {
            return parent + "." + Elementwise.Kind.ofSymbol(b.getOp()).name().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof SymbolRef r && r.getSymbol() != null && !r.getSymbol().eIsProxy()) {
            return parent + "." + Names.of(r.getSymbol());
        }
        return parent + (e instanceof Negate ? ".neg" : ".const");
    }

    private String symbolRef(SymbolRef ref, String name) {
        Symbol sym = ref.getSymbol();
        if (sym == null || sym.eIsProxy()) {
            return null; // the linker reports unresolved names
        }
        used.add(sym);
        if (ref.isTransposed() && !(sym instanceof LayerDecl)) {
            problems.error(ref, SYMBOL_REF__TRANSPOSED, IssueCodes.NOT_CALLABLE, Names.of(sym) + " is a value; ^T transposes a dense layer: A^T(r)");
            return null;
        }
        if (sym instanceof LayerDecl layer) {
            return applyLayer(ref, layer, name);
        }
        if (ref.isCall()) {
            problems.error(ref, SYMBOL_REF__SYMBOL, IssueCodes.NOT_CALLABLE, Names.of(sym) + " is a value, not a layer; "
                    + "only layers are applied to arguments");
            return null;
        }
        if (sym instanceof ParamDecl param) {
            Integer index = index(ref, param.getName(), param.getCount());
            if (index == null) {
                return null;
            }
            return graph.paramNode(param, index);
        }
        if (ref.getIndex() != null) {
            problems.error(ref, SYMBOL_REF__INDEX, IssueCodes.UNEXPECTED_INDEX, Names.of(sym)
                    + " is a value, not an indexed layer or parameter");
            return null;
        }
        if (sym instanceof Label && !inLoss) {
            problems.error(ref, SYMBOL_REF__SYMBOL, IssueCodes.LABEL_OUTSIDE_LOSS, "label " + Names.of(sym)
                    + " exists only in training; use it in a loss");
            return null;
        }
        return valueOf(sym, ref, SYMBOL_REF__SYMBOL, -1);
    }

    private String valueOf(Symbol sym, EObject at, EStructuralFeature feature, int index) {
        if (sym == null || sym.eIsProxy()) {
            return null;
        }
        used.add(sym);
        if (sym instanceof LayerDecl || sym instanceof ParamDecl) {
            problems.error(at, feature, index, IssueCodes.WRONG_KIND_OF_SYMBOL, Names.of(sym) + " is a "
                    + (sym instanceof LayerDecl ? "layer" : "parameter") + ", not a value");
            return null;
        }
        String v = env.get(sym);
        if (v == null && !failed.contains(sym)) {
            problems.error(at, feature, index, IssueCodes.USED_BEFORE_DEFINED, Names.of(sym)
                    + " is used before it is defined");
        }
        return v;
    }

    private String applyLayer(SymbolRef ref, LayerDecl layer, String name) {
        if (!ref.isCall()) {
            problems.error(ref, SYMBOL_REF__SYMBOL, IssueCodes.LAYER_NOT_CALLED, "layer " + layer.getName()
                    + " must be applied to an input: " + layer.getName() + "(x)");
            return null;
        }
        Integer index = index(ref, layer.getName(), layer.getCount());
        if (index == null) {
            return null;
        }
        if (ref.getArgs().size() != 1) {
            problems.error(ref, SYMBOL_REF__SYMBOL, IssueCodes.BAD_ARGUMENTS, "layer " + layer.getName()
                    + " takes one input, got " + ref.getArgs().size());
            return null;
        }
        if (layer.getSpec() == null || layer.getSpec().getOp() == null) {
            return null;
        }
        String layerName = layer.getName() + (index >= 0 ? "[" + index + "]" : "");
        String x = expr(ref.getArgs().get(0), child(name, ref.getArgs().get(0)));
        if (x == null) {
            return null;
        }
        Op op = buildOp(layer.getSpec(), List.of(graph.node(x).shape()), true);
        if (op == null) {
            return null;
        }
        if (ref.isTransposed()) {
            if (!(op instanceof Dense d) || d.bias()) {
                problems.error(ref, SYMBOL_REF__TRANSPOSED, IssueCodes.BAD_ARGUMENTS, "^T transposes a dense layer without bias; "
                        + layer.getName() + " is " + (op instanceof Dense ? "dense with a bias (declare it with bias=false)" : op.kind()));
                return null;
            }
            op = new DenseTransposed(d.out(), d.in());
            transposed.add(layer.getName());
        }
        List<String> w = graph.weightsFor(op, layerName, layer.getName(), !layer.isFixed(), layer.getSpec());
        // a layer applied at a step names the node; a tied layer applied at several steps gets the step too
        String nodeName = (graph.step() >= 0 && index < 0 ? layerName + "@" + graph.step() : layerName) + (ref.isTransposed() ? "^T" : "");
        if (graph.has(nodeName)) {
            nodeName = name + "." + layerName;
        }
        return graph.add(nodeName, op, List.of(x), w, ref, SYMBOL_REF__SYMBOL, List.of(ref.getArgs().get(0)));
    }

    /** Layers applied transposed somewhere ({@code A^T(r)}). */
    private final java.util.Set<String> transposed = new java.util.LinkedHashSet<>();

    /** The index of {@code S[k]} at the current step, -1 for an unindexed reference, null after an error. */
    private Integer index(SymbolRef ref, String name, int count) {
        StepIndex idx = ref.getIndex();
        if (count == 0) {
            if (idx != null) {
                problems.error(ref, SYMBOL_REF__INDEX, IssueCodes.UNEXPECTED_INDEX, name
                        + " is shared by all steps; declare it as " + name + "[N] for one per step");
                return null;
            }
            return -1;
        }
        if (idx == null) {
            problems.error(ref, SYMBOL_REF__SYMBOL, IssueCodes.MISSING_INDEX, name + " has " + count
                    + " entries, one per step: write " + name + "[k]");
            return null;
        }
        int value;
        if (idx.getStep() == null) {
            value = idx.getConstant();
        } else if (idx.getStep().eIsProxy()) {
            return null;
        } else {
            value = graph.step() + ("-".equals(idx.getSign()) ? -idx.getOffset() : idx.getOffset());
            if (idx.getSign() == null && count < idx.getStep().getCount()) {
                problems.error(ref, SYMBOL_REF__INDEX, IssueCodes.INDEX_OUT_OF_RANGE, name + " has " + count
                        + " entries but unroll " + idx.getStep().getName() + " runs " + idx.getStep().getCount() + " steps");
                return null;
            }
        }
        if (value < 0 || value >= count) {
            problems.error(ref, SYMBOL_REF__INDEX, IssueCodes.INDEX_OUT_OF_RANGE, name + "[" + value
                    + "] is out of range: " + name + " has entries 0 to " + (count - 1));
            return null;
        }
        return value;
    }

    private String opCall(OpCall call, String name) {
        OpCatalog.Signature sig = signature(call);
        if (sig == null) {
            return null;
        }
        if (sig.category() == OpCatalog.Category.LOSS && !inLoss) {
            problems.error(call, OP_CALL__OP, IssueCodes.LOSS_OUTSIDE_LOSS, call.getOp()
                    + " is a loss; use it in a loss statement");
            return null;
        }
        List<Expr> tensorArgs = new ArrayList<>();
        for (CallArg a : call.getArgs()) {
            if (a instanceof Expr e) {
                tensorArgs.add(e);
            }
        }
        if (tensorArgs.size() < sig.minInputs() || tensorArgs.size() > sig.maxInputs()) {
            String expected = sig.minInputs() == sig.maxInputs() ? String.valueOf(sig.minInputs())
                    : sig.maxInputs() == Integer.MAX_VALUE ? "at least " + sig.minInputs()
                    : sig.minInputs() + " to " + sig.maxInputs();
            problems.error(call, OP_CALL__OP, IssueCodes.BAD_ARGUMENTS, call.getOp() + " takes " + expected
                    + " input" + (sig.maxInputs() == 1 ? "" : "s") + ", got " + tensorArgs.size());
            return null;
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < tensorArgs.size(); i++) {
            String in = expr(tensorArgs.get(i), child(name, tensorArgs.get(i)));
            if (in == null) {
                return null;
            }
            inputs.add(in);
        }
        List<Shape> shapes = inputs.stream().map(i -> graph.node(i).shape()).toList();
        Op op = buildOp(call, shapes, false);
        if (op == null) {
            return null;
        }
        // an inline layer owns weights of its own, named after its node (so one per unrolled step)
        String nodeName = graph.uniqueName(name);
        List<String> w = sig.category() == OpCatalog.Category.LAYER ? graph.weightsFor(op, nodeName, nodeName, true, call)
                : List.of();
        return graph.add(nodeName, op, inputs, w, call, OP_CALL__OP, new ArrayList<EObject>(tensorArgs));
    }

    /**
     * The catalogue entry of a call's op, or null after an error on the op name: the grammar's keywords and the
     * catalogue are kept in step by a test, but a keyword without an entry must never make a {@code let} vanish.
     */
    private OpCatalog.Signature signature(OpCall call) {
        if (call.getOp() == null) {
            return null; // a syntax error, reported by the parser
        }
        OpCatalog.Signature sig = OpCatalog.get(call.getOp());
        if (sig == null) {
            problems.error(call, OP_CALL__OP, IssueCodes.UNKNOWN_OP, "op " + call.getOp() + " has no definition in the op catalogue");
        }
        return sig;
    }

    /** Builds the op of a call from its attributes; declared layers need their channels written out. */
    private Op buildOp(OpCall call, List<Shape> inputs, boolean declared) {
        OpCatalog.Signature sig = signature(call);
        if (sig == null) {
            return null;
        }
        List<Attribute> attributes = new ArrayList<>();
        Channels channels = null;
        for (CallArg a : call.getArgs()) {
            if (a instanceof Attribute attr) {
                attributes.add(attr);
            } else if (a instanceof Channels c) {
                if (sig.category() != OpCatalog.Category.LAYER || channels != null) {
                    problems.error(c, null, IssueCodes.BAD_ARGUMENTS, call.getOp() + " takes no IN -> OUT channels here");
                    return null;
                }
                channels = c;
            } else if (declared) {
                problems.error(a, null, IssueCodes.BAD_ARGUMENTS, "a layer declaration takes no inputs; apply the layer "
                        + "to its input where it is used");
                return null;
            }
        }
        if (declared && sig.category() != OpCatalog.Category.LAYER) {
            problems.error(call, OP_CALL__OP, IssueCodes.BAD_ARGUMENTS, call.getOp()
                    + " has no weights; use it directly instead of declaring a layer");
            return null;
        }
        Attrs attrs = new Attrs(call.getOp(), call, OP_CALL__OP, attributes, sig.attributes(), problems);
        if (declared && channels == null && !"depthwise".equals(call.getOp())) {
            problems.error(call, OP_CALL__OP, IssueCodes.BAD_ARGUMENTS, "declare the layer's features: "
                    + call.getOp() + "(IN -> OUT, ...)");
            return null;
        }
        return sig.builder().build(new OpCatalog.Call(call, attrs, channels, inputs, problems, graph.step()));
    }

    // ----------------------------------------------------------------------------- finishing

    private void warnUnused() {
        for (Member m : ast.getMembers()) {
            if ((m instanceof LayerDecl || m instanceof ParamDecl || m instanceof Label) && !used.contains(m)) {
                problems.warning(m, m instanceof LayerDecl ? LAYER_DECL__NAME : m instanceof ParamDecl ? PARAM_DECL__NAME
                        : LABEL__NAME, IssueCodes.UNUSED, Names.of((Symbol) m) + " is never used");
            }
        }
    }
}
