package org.edgenn.dsl.scoping;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.Scopes;
import org.eclipse.xtext.scoping.impl.MapBasedScope;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;
import org.edgenn.dsl.edgeNN.Input;
import org.edgenn.dsl.edgeNN.Label;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.LetDecl;
import org.edgenn.dsl.edgeNN.Member;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.StateDecl;
import org.edgenn.dsl.edgeNN.Statement;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.edgeNN.Training;
import org.edgenn.dsl.edgeNN.Unroll;

/**
 * Names inside a network are local to it, innermost first: the lets of the enclosing unroll
 * block, then the network's declarations. Step variables ({@code k} of {@code unroll 16 as k})
 * are visible in their block only. Networks and accelerators are global: this file and the
 * files it imports.
 */
public class EdgeNNScopeProvider extends AbstractEdgeNNScopeProvider {

    @Inject
    private IResourceScopeCache cache;

    @Override
    public IScope getScope(EObject context, EReference reference) {
        if (reference == SYMBOL_REF__SYMBOL || reference == OUTPUT__VALUES) {
            return symbols(context);
        }
        if (reference == ASSIGN__STATE) {
            Network n = EcoreUtil2.getContainerOfType(context, Network.class);
            return n == null ? IScope.NULLSCOPE : Scopes.scopeFor(EcoreUtil2.typeSelect(n.getMembers(), StateDecl.class));
        }
        if (reference == STEP_INDEX__STEP) {
            List<Unroll> enclosing = new ArrayList<>();
            for (EObject o = context; o != null; o = o.eContainer()) {
                if (o instanceof Unroll u) {
                    enclosing.add(u);
                }
            }
            return Scopes.scopeFor(enclosing);
        }
        if (reference == PRUNE_SPEC__LAYERS) {
            Network n = EcoreUtil2.getContainerOfType(context, Network.class);
            return n == null ? IScope.NULLSCOPE : Scopes.scopeFor(EcoreUtil2.typeSelect(n.getMembers(), LayerDecl.class));
        }
        if (reference == QUANT_SPEC__TARGETS) {
            // a precision override names the network's symbols and the lets of its unroll blocks (every step)
            Network n = EcoreUtil2.getContainerOfType(context, Network.class);
            if (n == null) {
                return IScope.NULLSCOPE;
            }
            List<EObject> named = new ArrayList<>();
            for (Member m : n.getMembers()) {
                if (m instanceof Symbol) {
                    named.add(m);
                } else if (m instanceof Unroll u) {
                    u.getBody().stream().filter(LetDecl.class::isInstance).forEach(named::add);
                }
            }
            return Scopes.scopeFor(named);
        }
        if (reference == DATA_ITEM__BINDINGS) {
            Training t = EcoreUtil2.getContainerOfType(context, Training.class);
            if (t == null || t.getNetwork() == null || t.getNetwork().eIsProxy()) {
                return IScope.NULLSCOPE;
            }
            List<EObject> io = new ArrayList<>();
            for (Member m : t.getNetwork().getMembers()) {
                if (m instanceof Input || m instanceof Label) {
                    io.add(m);
                }
            }
            return Scopes.scopeFor(io);
        }
        return super.getScope(context, reference);
    }

    private IScope symbols(EObject context) {
        Network n = EcoreUtil2.getContainerOfType(context, Network.class);
        if (n == null) {
            return IScope.NULLSCOPE;
        }
        // hashed once per network and text version: a list scope per reference would make linking
        // quadratic in the number of names (55 ms of every keystroke on a 500-line model)
        IScope scope = n.eResource() == null ? networkScope(n)
                : cache.get(Tuples.pair(EdgeNNScopeProvider.class, n), n.eResource(), () -> networkScope(n));
        Unroll block = EcoreUtil2.getContainerOfType(context, Unroll.class);
        if (block != null) {
            List<EObject> lets = new ArrayList<>();
            for (Statement s : block.getBody()) {
                if (s instanceof LetDecl) {
                    lets.add(s);
                }
            }
            scope = Scopes.scopeFor(lets, scope);
        }
        return scope;
    }

    private static IScope networkScope(Network n) {
        List<EObject> symbols = new ArrayList<>();
        for (Member m : n.getMembers()) {
            if (m instanceof Symbol) {
                symbols.add(m);
            }
        }
        // createScope keeps the first of duplicate names, as a list scope does
        return MapBasedScope.createScope(IScope.NULLSCOPE, Scopes.scopedElementsFor(symbols));
    }
}
