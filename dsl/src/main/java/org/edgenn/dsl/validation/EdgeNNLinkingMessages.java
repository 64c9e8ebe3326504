package org.edgenn.dsl.validation;

import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.edgenn.dsl.edgeNN.EdgeNNPackage;

/** Says what kind of thing a name should have been: "unknown layer or value 'S2'". */
public class EdgeNNLinkingMessages extends LinkingDiagnosticMessageProvider {
    public static final String UNRESOLVED = "org.edgenn.dsl.unresolved";

    @Override
    public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
        var ref = context.getReference();
        String what;
        if (ref == EdgeNNPackage.Literals.SYMBOL_REF__SYMBOL || ref == EdgeNNPackage.Literals.OUTPUT__VALUES) {
            what = "unknown layer, parameter or value";
        } else if (ref == EdgeNNPackage.Literals.STEP_INDEX__STEP) {
            what = "unknown step variable (only the enclosing unroll's variable can index)";
        } else if (ref == EdgeNNPackage.Literals.ASSIGN__STATE) {
            what = "unknown state (declare it with: state NAME: f32[...])";
        } else if (ref.getEReferenceType() == EdgeNNPackage.Literals.ACCELERATOR) {
            what = "unknown accelerator (declare or import it)";
        } else if (ref.getEReferenceType() == EdgeNNPackage.Literals.NETWORK) {
            what = "unknown network (declare or import it)";
        } else if (ref == EdgeNNPackage.Literals.QUANT_SPEC__TARGETS) {
            what = "unknown layer or value of this network (a precision override names a layer, let or state)";
        } else if (ref == EdgeNNPackage.Literals.DATA_ITEM__BINDINGS) {
            what = "unknown input or label of the trained network";
        } else {
            what = "unknown " + ref.getEReferenceType().getName().toLowerCase(java.util.Locale.ROOT);
        }
        return new DiagnosticMessage(what + " '" + context.getLinkText() + "'", Severity.ERROR, UNRESOLVED);
    }
}
