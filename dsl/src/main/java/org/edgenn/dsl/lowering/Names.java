package org.edgenn.dsl.lowering;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.util.SimpleAttributeResolver;

/** The declared name of any named element (symbols have no common name feature in the AST). */
public final class Names {
    private Names() {
    }

    public static String of(EObject element) {
        String n = element == null ? null : SimpleAttributeResolver.NAME_RESOLVER.apply(element);
        return n == null ? "<unnamed>" : n;
    }
}
