package org.edgenn.dsl.ide.highlighting;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.ide.editor.syntaxcoloring.DefaultSemanticHighlightingCalculator;
import org.eclipse.xtext.ide.editor.syntaxcoloring.IHighlightedPositionAcceptor;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.util.CancelIndicator;
import org.edgenn.dsl.edgeNN.Assign;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.Output;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.PruneSpec;
import org.edgenn.dsl.edgeNN.StateDecl;
import org.edgenn.dsl.edgeNN.StepIndex;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.edgeNN.SymbolRef;
import org.edgenn.dsl.edgeNN.Unroll;

/**
 * Colours by meaning: op names, and every name by what it denotes (layer, parameter, value,
 * state, step variable), at its declaration and at each use. Unresolved names are left alone:
 * the error marker says enough.
 */
public class EdgeNNSemanticHighlightingCalculator extends DefaultSemanticHighlightingCalculator {

    @Override
    protected boolean highlightElement(EObject object, IHighlightedPositionAcceptor plain, CancelIndicator cancel) {
        // every position also carries its LSP token type (second style) for the language server
        IHighlightedPositionAcceptor acceptor = (offset, length, styles) ->
                plain.addPosition(offset, length, styles[0], EdgeNNHighlightingStyles.lspTokenType(styles[0]));
        if (object instanceof OpCall) {
            highlightFeature(acceptor, object, OP_CALL__OP, EdgeNNHighlightingStyles.OP);
        } else if (object instanceof Unroll) {
            highlightFeature(acceptor, object, UNROLL__NAME, EdgeNNHighlightingStyles.STEP);
        } else if (object instanceof StepIndex i && i.getStep() != null && !i.getStep().eIsProxy()) {
            highlightFeature(acceptor, object, STEP_INDEX__STEP, EdgeNNHighlightingStyles.STEP);
        } else if (object instanceof SymbolRef r) {
            highlightReference(acceptor, r, SYMBOL_REF__SYMBOL, List.of(r.getSymbol()));
        } else if (object instanceof Assign a) {
            highlightReference(acceptor, a, ASSIGN__STATE, List.of(a.getState()));
        } else if (object instanceof Output o) {
            highlightReference(acceptor, o, OUTPUT__VALUES, o.getValues());
        } else if (object instanceof PruneSpec p) {
            highlightReference(acceptor, p, PRUNE_SPEC__LAYERS, p.getLayers());
        }
        if (object instanceof Symbol s) {
            EStructuralFeature name = object.eClass().getEStructuralFeature("name");
            highlightFeature(acceptor, object, name, styleOf(s));
        }
        return false;
    }

    /** One position per written reference (a feature may hold several: output a, b). */
    private void highlightReference(IHighlightedPositionAcceptor acceptor, EObject owner, EStructuralFeature feature,
                                    List<? extends EObject> targets) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(owner, feature);
        for (int i = 0; i < nodes.size() && i < targets.size(); i++) {
            EObject target = targets.get(i);
            if (target instanceof Symbol s && !target.eIsProxy()) {
                INode n = nodes.get(i);
                acceptor.addPosition(n.getOffset(), n.getLength(), styleOf(s), EdgeNNHighlightingStyles.lspTokenType(styleOf(s)));
            }
        }
    }

    public static String styleOf(EObject symbol) {
        if (symbol instanceof LayerDecl) {
            return EdgeNNHighlightingStyles.LAYER;
        }
        if (symbol instanceof ParamDecl) {
            return EdgeNNHighlightingStyles.PARAM;
        }
        if (symbol instanceof StateDecl) {
            return EdgeNNHighlightingStyles.STATE;
        }
        return EdgeNNHighlightingStyles.VALUE;
    }
}
