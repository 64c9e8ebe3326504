package org.edgenn.dsl.space;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.edgenn.dsl.edgeNN.Element;
import org.edgenn.dsl.edgeNN.Explore;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.SymbolRef;
import org.edgenn.dsl.edgeNN.Training;

/**
 * The one place where parameters get values: a file with families (networks and accelerators with
 * parameters) and a binding per family becomes the text of a concrete file, the file a user would
 * have written by hand for that design. The instance is then parsed, validated and lowered like any
 * file, so an instance is checked exactly as a hand-written design is, and the best designs of an
 * exploration are written out as this text.
 *
 * <p>What changes: each family's parameter list and {@code where} constraints are removed, each
 * {@code $name} becomes its value, a {@code [n if $b]} declaration becomes {@code [n]} when $b is
 * true and tied (no brackets, and no step index where it is used) when false; explore blocks are
 * dropped. Families without a binding take their first admitted one, so that references to them
 * still resolve. Line breaks are kept, so an instance's line numbers are the family's.
 */
public final class Instantiation {

    private record Edit(int start, int end, String text) {
    }

    private final String source;
    private final List<Edit> edits = new ArrayList<>();

    private Instantiation(String source) {
        this.source = source;
    }

    /**
     * The concrete text of {@code model} with each family bound by {@code bindings} (or by its first
     * admitted binding when absent; a family without any is left out).
     */
    public static String file(Model model, Map<? extends EObject, Map<String, String>> bindings) {
        ICompositeNode root = NodeModelUtils.getNode(model).getRootNode();
        Instantiation in = new Instantiation(root.getText());
        for (Element e : model.getElements()) {
            if (e instanceof Explore) {
                in.remove(NodeModelUtils.getNode(e));
            } else if (Families.isFamily(e)) {
                Map<String, String> binding = bindings.get(e);
                if (binding == null) {
                    List<Map<String, String>> all = ParameterSpace.of(e).bindings();
                    binding = all.isEmpty() ? null : all.get(0);
                }
                if (binding == null) {
                    in.remove(NodeModelUtils.getNode(e));
                } else {
                    in.bind(e, binding);
                }
            } else if (e instanceof Training t && t.getNetwork() != null && Families.isFamily(t.getNetwork())
                    && bindings.get(t.getNetwork()) == null && ParameterSpace.of(t.getNetwork()).bindings().isEmpty()) {
                in.remove(NodeModelUtils.getNode(e));
            }
        }
        return in.apply();
    }

    private void bind(EObject family, Map<String, String> binding) {
        removeHeader(family);
        for (EObject decl : EcoreUtil2.eAllContents(family)) {
            if (decl instanceof LayerDecl || decl instanceof ParamDecl) {
                perStep(family, decl, binding);
            }
        }
        for (ILeafNode leaf : NodeModelUtils.getNode(family).getLeafNodes()) {
            if (!leaf.isHidden() && leaf.getText().startsWith("$") && binding.containsKey(leaf.getText())) {
                edits.add(new Edit(leaf.getOffset(), leaf.getEndOffset(), binding.get(leaf.getText())));
            }
        }
    }

    /** From the end of the name to the opening brace: {@code (...) where ...}. */
    private void removeHeader(EObject family) {
        EStructuralFeature nameFeature = family.eClass().getEStructuralFeature("name");
        INode name = NodeModelUtils.findNodesForFeature(family, nameFeature).get(0);
        int lastEnd = name.getEndOffset();
        for (EObject p : Families.parameters(family)) {
            lastEnd = Math.max(lastEnd, NodeModelUtils.getNode(p).getEndOffset());
        }
        for (EObject c : Families.constraints(family)) {
            lastEnd = Math.max(lastEnd, NodeModelUtils.getNode(c).getEndOffset());
        }
        for (ILeafNode leaf : NodeModelUtils.getNode(family).getLeafNodes()) {
            if (leaf.getOffset() >= lastEnd && !leaf.isHidden() && leaf.getText().equals("{")) {
                edits.add(new Edit(name.getEndOffset(), leaf.getOffset(), " " + newlines(name.getEndOffset(), leaf.getOffset())));
                return;
            }
        }
    }

    /** {@code layer S[$depth if $untied]}: per step when true, tied when false. */
    private void perStep(EObject family, EObject decl, Map<String, String> binding) {
        EStructuralFeature condition = decl instanceof LayerDecl ? LAYER_DECL__PER_STEP_IF : PARAM_DECL__PER_STEP_IF;
        String param = (String) decl.eGet(condition);
        if (param == null || !binding.containsKey(param)) {
            return;
        }
        INode condNode = NodeModelUtils.findNodesForFeature(decl, condition).get(0);
        List<ILeafNode> leaves = leaves(NodeModelUtils.getNode(decl));
        if ("true".equals(binding.get(param))) {
            ILeafNode ifLeaf = previous(leaves, condNode.getOffset());
            edits.add(new Edit(ifLeaf.getOffset(), condNode.getEndOffset(), ""));
            return;
        }
        ILeafNode open = leaves.stream().filter(l -> l.getText().equals("[")).findFirst().orElseThrow();
        ILeafNode close = leaves.stream().filter(l -> l.getText().equals("]")).findFirst().orElseThrow();
        edits.add(new Edit(open.getOffset(), close.getEndOffset(), ""));
        for (SymbolRef ref : EcoreUtil2.eAllOfType(family, SymbolRef.class)) {
            if (ref.getSymbol() == decl && ref.getIndex() != null) {
                List<ILeafNode> refLeaves = leaves(NodeModelUtils.getNode(ref));
                if (refLeaves.size() > 1 && refLeaves.get(1).getText().equals("[")) {
                    ILeafNode end = refLeaves.stream().skip(1).filter(l -> l.getText().equals("]")).findFirst().orElseThrow();
                    edits.add(new Edit(refLeaves.get(1).getOffset(), end.getEndOffset(), ""));
                }
            }
        }
    }

    private static List<ILeafNode> leaves(INode node) {
        List<ILeafNode> out = new ArrayList<>();
        for (ILeafNode l : node.getLeafNodes()) {
            if (!l.isHidden()) {
                out.add(l);
            }
        }
        return out;
    }

    private static ILeafNode previous(List<ILeafNode> leaves, int offset) {
        ILeafNode before = null;
        for (ILeafNode l : leaves) {
            if (l.getOffset() >= offset) {
                break;
            }
            before = l;
        }
        return before;
    }

    private void remove(INode node) {
        edits.add(new Edit(node.getOffset(), node.getEndOffset(), newlines(node.getOffset(), node.getEndOffset())));
    }

    private String newlines(int start, int end) {
        StringBuilder b = new StringBuilder();
        for (int i = start; i < end; i++) {
            if (source.charAt(i) == '\n') {
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** Applies the edits in text order; an edit inside a removed span is dropped with it. */
    private String apply() {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparing(e -> -e.end()));
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Edit e : sorted) {
            if (e.start() < at) {
                continue;
            }
            out.append(source, at, e.start()).append(e.text());
            at = e.end();
        }
        out.append(source.substring(at));
        return out.toString();
    }
}
