package org.edgenn.dsl.ide.outline;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.ArrayAxis;
import org.edgenn.dsl.edgeNN.Input;
import org.edgenn.dsl.edgeNN.Label;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.LetDecl;
import org.edgenn.dsl.edgeNN.MemoryLevel;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.StateDecl;
import org.edgenn.dsl.edgeNN.Teacher;

/**
 * The declaration's keyword next to its name ({@code We : layer}); empty for statements whose
 * name already starts with it (unroll, output, loss, train and its settings).
 */
public class EdgeNNSymbolDetailsProvider extends DocumentSymbolMapper.DocumentSymbolDetailsProvider {

    @Override
    public String getDetails(EObject object) {
        if (object instanceof Network) {
            return "network";
        }
        if (object instanceof Accelerator) {
            return "accelerator";
        }
        if (object instanceof Input) {
            return "input";
        }
        if (object instanceof Label) {
            return "label";
        }
        if (object instanceof Teacher) {
            return "teacher";
        }
        if (object instanceof LayerDecl) {
            return "layer";
        }
        if (object instanceof ParamDecl) {
            return "param";
        }
        if (object instanceof StateDecl) {
            return "state";
        }
        if (object instanceof LetDecl) {
            return "let";
        }
        if (object instanceof ArrayAxis) {
            return "axis";
        }
        if (object instanceof MemoryLevel) {
            return "memory";
        }
        return "";
    }
}
