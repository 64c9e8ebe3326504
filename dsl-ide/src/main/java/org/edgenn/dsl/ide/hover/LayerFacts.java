package org.edgenn.dsl.ide.hover;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.BudgetSpec;
import org.edgenn.dsl.edgeNN.Input;
import org.edgenn.dsl.edgeNN.Label;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.LetDecl;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.StateDecl;
import org.edgenn.dsl.edgeNN.TensorType;
import org.edgenn.dsl.edgeNN.Unroll;
import org.edgenn.dsl.lowering.Names;
import org.edgenn.dsl.lowering.NetworkLowering;
import org.edgenn.dsl.lowering.OpCatalog;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.ir.Formats;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Node;

/**
 * The hover text of a declaration: what the lowered network says about it (output shape,
 * parameters, MACs summed over unrolled steps) and, when the network names a target and a
 * {@link TargetCostModel} is bound, predicted latency and energy. Markdown, plain enough to read
 * as text in editors that do not render it.
 */
public class LayerFacts {

    @Inject
    private ProgramLowering lowering;

    @Inject
    private TargetCostModel costModel;

    /** The text for an element, or null when there is nothing to say about it. */
    public String describe(EObject element) {
        if (element == null || element.eIsProxy()) {
            return null;
        }
        if (element instanceof OpCall call) {
            OpCatalog.Signature sig = OpCatalog.get(call.getOp());
            return sig == null ? null : "**" + sig.name() + "** — " + sig.doc();
        }
        if (element instanceof Network n) {
            return network(n);
        }
        Network network = EcoreUtil2.getContainerOfType(element, Network.class);
        if (network == null) {
            return null;
        }
        if (element instanceof Input || element instanceof Label) {
            TensorType t = element instanceof Input i ? i.getType() : ((Label) element).getType();
            return header(element) + "\n\n" + line(type(t), null, null);
        }
        if (element instanceof ParamDecl p) {
            long size = p.getType() == null ? 0 : p.getType().getDims().stream().mapToLong(Integer::longValue)
                    .reduce(1, (a, b) -> a * b);
            long entries = Math.max(1, p.getCount());
            return header(element) + "\n\n" + line(type(p.getType()) + (p.getCount() > 0 ? " × " + p.getCount() : ""),
                    entries * size, null);
        }
        if (element instanceof LayerDecl || element instanceof LetDecl || element instanceof StateDecl) {
            return computed(network, element);
        }
        return null;
    }

    private String computed(Network network, EObject element) {
        NetworkLowering.Result result = lowering.lower(network);
        if (result.network() == null) {
            return header(element) + "\n\n(fix the errors in network " + network.getName() + " to see shapes and costs)";
        }
        org.edgenn.ir.graph.Network ir = result.network();
        List<LayerStats> rows = rowsOf(ir, element);
        long params = rows.stream().mapToLong(LayerStats::params).sum();
        long macs = rows.stream().mapToLong(LayerStats::macs).sum();
        Set<String> shapes = new LinkedHashSet<>();
        String name = Names.of(element);
        if (element instanceof StateDecl s) {
            shapes.add(type(s.getType()));
        } else {
            for (LayerStats r : rows) {
                if (ownNode(name).matcher(r.name()).matches()) {
                    shapes.add(r.shape().toString());
                }
            }
            if (shapes.isEmpty() && !rows.isEmpty()) {
                shapes.add(rows.get(rows.size() - 1).shape().toString());
            }
        }
        Set<Integer> steps = new LinkedHashSet<>();
        rows.forEach(r -> {
            if (r.step() >= 0) {
                steps.add(r.step());
            }
        });
        StringBuilder b = new StringBuilder(header(element)).append("\n\n");
        b.append(line(shapes.isEmpty() ? "—" : String.join(" | ", shapes), params, macs));
        if (steps.size() > 1) {
            b.append(" (over ").append(steps.size()).append(" unrolled steps)");
        }
        cost(network, ir, rows).ifPresent(c -> b.append("\n\non ").append(c));
        return b.toString();
    }

    /** The lowered nodes that come from this declaration. */
    private List<LayerStats> rowsOf(org.edgenn.ir.graph.Network ir, EObject element) {
        List<LayerStats> all = LayerStats.of(ir);
        if (element instanceof LayerDecl layer) {
            // applied layers are named after the layer: S[3], A@2, or b.S when the name was taken
            Pattern p = Pattern.compile("(.*\\.)?" + Pattern.quote(layer.getName()) + "(\\[\\d+\\]|@\\d+)?");
            return all.stream().filter(r -> p.matcher(r.name()).matches()).toList();
        }
        ICompositeNode node = NodeModelUtils.getNode(element);
        if (node == null) {
            return List.of();
        }
        int first = node.getStartLine();
        int last = node.getEndLine();
        List<LayerStats> rows = new ArrayList<>();
        for (LayerStats r : all) {
            Node n = ir.node(r.name());
            int line = n == null ? 0 : n.source().line();
            if (line >= first && line <= last) {
                rows.add(r);
            }
        }
        return rows;
    }

    private static Pattern ownNode(String name) {
        return Pattern.compile(Pattern.quote(name) + "(\\[\\d+\\])?");
    }

    private String network(Network n) {
        NetworkLowering.Result result = lowering.lower(n);
        if (result.network() == null) {
            return "**network " + n.getName() + "**\n\n(fix its errors to see shapes and costs)";
        }
        List<LayerStats> rows = LayerStats.of(result.network());
        StringBuilder b = new StringBuilder("**network " + n.getName() + "**\n\n")
                .append(line(null, LayerStats.totalParams(rows), LayerStats.totalMacs(rows)))
                .append(", ").append(rows.size()).append(" layers");
        cost(n, result.network(), rows).ifPresent(c -> b.append("\n\non ").append(c));
        return b.toString();
    }

    /** "Tiny16: latency 1.2 ms, energy 3 uJ" when a target is declared and a cost model is bound. */
    private Optional<String> cost(Network network, org.edgenn.ir.graph.Network ir, List<LayerStats> rows) {
        Accelerator target = EcoreUtil2.getAllContentsOfType(network, BudgetSpec.class).stream()
                .map(BudgetSpec::getTarget).filter(t -> t != null && !t.eIsProxy()).findFirst().orElse(null);
        if (target == null || rows.isEmpty()) {
            return Optional.empty();
        }
        AcceleratorSpec spec = lowering.lower(target).accelerator();
        if (spec == null) {
            return Optional.empty();
        }
        return costModel.estimate(ir, spec, rows.stream().map(LayerStats::name).toList())
                .map(c -> spec.name() + ": latency " + Formats.duration(c.seconds()) + ", energy " + Formats.energy(c.joules()));
    }

    private static String header(EObject element) {
        String kind = element.eClass().getName().replace("Decl", "").toLowerCase(java.util.Locale.ROOT);
        String suffix = "";
        if (element instanceof LayerDecl l) {
            suffix = (l.getCount() > 0 ? "[" + l.getCount() + "]" : "")
                    + (l.getSpec() == null ? "" : " = " + l.getSpec().getOp());
        }
        Unroll step = EcoreUtil2.getContainerOfType(element, Unroll.class);
        return "**" + kind + " " + Names.of(element) + suffix + "**" + (step == null ? "" : " (per step of unroll " + step.getName() + ")");
    }

    private static String line(String shape, Long params, Long macs) {
        List<String> parts = new ArrayList<>();
        if (shape != null) {
            parts.add("output " + shape);
        }
        if (params != null) {
            parts.add("params " + Formats.compactCount(params));
        }
        if (macs != null) {
            parts.add("MACs " + Formats.compactCount(macs));
        }
        return String.join(", ", parts);
    }

    private static String type(TensorType t) {
        if (t == null) {
            return "?";
        }
        return t.getDtype().getLiteral() + t.getDims().toString().replace(" ", "").replace(",", ", ");
    }
}
