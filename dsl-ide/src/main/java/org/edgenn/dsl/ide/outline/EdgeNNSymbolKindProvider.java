package org.edgenn.dsl.ide.outline;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Input;
import org.edgenn.dsl.edgeNN.Label;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.LossStmt;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.Output;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.TrainItem;
import org.edgenn.dsl.edgeNN.Training;
import org.edgenn.dsl.edgeNN.Unroll;

/** Outline icons: networks as classes, layers as functions, values as variables, train blocks as modules. */
public class EdgeNNSymbolKindProvider extends DocumentSymbolMapper.DocumentSymbolKindProvider {

    @Override
    public SymbolKind getSymbolKind(EObject object) {
        if (object instanceof Network) {
            return SymbolKind.Class;
        }
        if (object instanceof Accelerator) {
            return SymbolKind.Struct;
        }
        if (object instanceof LayerDecl) {
            return SymbolKind.Function;
        }
        if (object instanceof ParamDecl) {
            return SymbolKind.Constant;
        }
        if (object instanceof Input || object instanceof Label) {
            return SymbolKind.Field;
        }
        if (object instanceof Unroll) {
            return SymbolKind.Namespace;
        }
        if (object instanceof Training) {
            return SymbolKind.Module;
        }
        if (object instanceof TrainItem) {
            return SymbolKind.Property;
        }
        if (object instanceof Output) {
            return SymbolKind.Event;
        }
        if (object instanceof LossStmt) {
            return SymbolKind.Operator;
        }
        return SymbolKind.Variable;
    }
}
