package org.edgenn.dsl.ide.outline;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.eclipse.xtext.util.SimpleAttributeResolver;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.Unroll;

/**
 * Outline names. The default asks the qualified-name provider, which names only networks and
 * accelerators (members are local, see TopLevelNameProvider), so the outline had no members.
 */
public class EdgeNNSymbolNameProvider extends DocumentSymbolMapper.DocumentSymbolNameProvider {

    @Override
    public String getName(EObject object) {
        if (object instanceof Attribute) {
            return null; // kernel=3 is a setting, not a declaration
        }
        String name = SimpleAttributeResolver.NAME_RESOLVER.apply(object);
        if (name == null) {
            return null;
        }
        return object instanceof Unroll u ? "unroll " + u.getCount() + " as " + name : name;
    }
}
