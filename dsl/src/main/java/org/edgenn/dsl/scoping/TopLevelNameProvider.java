package org.edgenn.dsl.scoping;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.util.SimpleAttributeResolver;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Network;

/**
 * Only networks and accelerators are visible from other files, by their simple names (imports are
 * by file, not by package). Everything inside a network is local and scoped by
 * {@link EdgeNNScopeProvider}.
 */
public class TopLevelNameProvider extends IQualifiedNameProvider.AbstractImpl {
    @Override
    public QualifiedName getFullyQualifiedName(EObject obj) {
        if (obj instanceof Network || obj instanceof Accelerator) {
            String name = SimpleAttributeResolver.NAME_RESOLVER.apply(obj);
            return name == null ? null : QualifiedName.create(name);
        }
        return null;
    }
}
