package org.edgenn.dsl.ide.outline;

import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.util.SimpleAttributeResolver;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.EdgeNNPackage;
import org.edgenn.dsl.edgeNN.LossStmt;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Output;
import org.edgenn.dsl.edgeNN.TrainItem;
import org.edgenn.dsl.edgeNN.Training;
import org.edgenn.dsl.edgeNN.Unroll;

/**
 * Outline names. The default asks the qualified-name provider, which names only networks and
 * accelerators (members are local, see TopLevelNameProvider), so the outline had no members.
 * Statements without a name of their own (train blocks and their settings, outputs, losses) are
 * named by their text, so that the outline shows them too.
 */
public class EdgeNNSymbolNameProvider extends DocumentSymbolMapper.DocumentSymbolNameProvider {

    /** Longer statement texts (losses) are cut here. */
    static final int MAX = 48;

    @Override
    public String getName(EObject object) {
        if (object instanceof Attribute) {
            return null; // kernel=3 is a setting, not a declaration
        }
        if (object instanceof Model) {
            return null; // the package is not a container worth a level: networks are the top level
        }
        if (object instanceof Training) {
            return "train " + featureText(object, EdgeNNPackage.Literals.TRAINING__NETWORK);
        }
        if (object instanceof Output) {
            return "output " + featureText(object, EdgeNNPackage.Literals.OUTPUT__VALUES);
        }
        if (object instanceof LossStmt || object instanceof TrainItem) {
            return text(object);
        }
        String name = SimpleAttributeResolver.NAME_RESOLVER.apply(object);
        if (name == null) {
            return null;
        }
        return object instanceof Unroll u ? "unroll " + u.getCount() + " as " + name : name;
    }

    /** The written text of a feature (references as written, even when they do not resolve), comma-joined. */
    private static String featureText(EObject object, EStructuralFeature feature) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(object, feature);
        return nodes.stream().map(NodeModelUtils::getTokenText).collect(Collectors.joining(", "));
    }

    /** The statement's tokens, single-spaced, without comments, cut at {@link #MAX} characters. */
    private static String text(EObject object) {
        ICompositeNode node = NodeModelUtils.findActualNodeFor(object);
        if (node == null) {
            return null;
        }
        String t = NodeModelUtils.getTokenText(node).trim();
        return t.length() <= MAX ? t : t.substring(0, MAX - 1).trim() + "…";
    }
}
