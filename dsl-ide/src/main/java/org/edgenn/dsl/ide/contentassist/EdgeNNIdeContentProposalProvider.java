package org.edgenn.dsl.ide.contentassist;

import java.util.List;
import java.util.TreeSet;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.edgenn.dsl.edgeNN.Attribute;
import org.edgenn.dsl.edgeNN.CurriculumItem;
import org.edgenn.dsl.edgeNN.DataItem;
import org.edgenn.dsl.edgeNN.OpCall;
import org.edgenn.dsl.edgeNN.OptimizerItem;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.ScheduleItem;
import org.edgenn.dsl.edgeNN.WordValue;
import org.edgenn.dsl.lowering.OpCatalog;
import org.edgenn.ir.spec.vocab.Parameter;
import org.edgenn.ir.spec.vocab.Term;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * Proposals the grammar cannot know: attribute names and values come from {@link OpCatalog}; data sources,
 * optimizers, schedules, initializers and their arguments from the training {@link Vocabulary}; loop
 * dimensions and operands from the accelerator vocabulary, units from {@link UnitContext}. Keywords
 * (op names among them) and names in scope come from Xtext's defaults.
 */
public class EdgeNNIdeContentProposalProvider extends IdeContentProposalProvider {

    /** The loop dimensions of ZigZag's seven-nested loop (plus groups), in the order users read them. */
    public static final List<String> LOOP_DIMS = List.of("N", "G", "K", "C", "OY", "OX", "FY", "FX");
    public static final List<String> OPERANDS = List.of("W", "I", "O");

    @Override
    protected void _createProposals(Assignment assignment, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        // matched by rule and feature, not by generated accessor names that shift with the grammar
        String at = GrammarUtil.containingRule(assignment).getName() + "." + assignment.getFeature();
        switch (at) {
            case "Attribute.name" -> attributeNames(context, acceptor);
            case "ArrayAxis.dims" -> words(LOOP_DIMS, "loop dimension", context, acceptor);
            case "MemoryLevel.operands" -> words(OPERANDS, "operand: W weights, I inputs, O outputs", context, acceptor);
            case "Quantity.unit", "NumberValue.unit" ->
                    words(UnitContext.unitsAt(context.getCurrentModel()), "unit", context, acceptor);
            case "WordValue.word" -> wordValues(context, acceptor);
            case "OpCall.op" -> opNames(context, acceptor);
            default -> super._createProposals(assignment, context, acceptor);
        }
    }

    /** Op names are a datatype rule of keywords, which Xtext does not propose by itself; the catalogue has their docs. */
    private void opNames(ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        for (OpCatalog.Signature sig : OpCatalog.all().values()) {
            ContentAssistEntry entry = getProposalCreator().createProposal(sig.name(), context, e -> {
                e.setDescription(sig.category().name().toLowerCase(java.util.Locale.ROOT));
                e.setDocumentation(sig.doc());
                e.setKind(ContentAssistEntry.KIND_FUNCTION);
            });
            accept(entry, acceptor, 0);
        }
    }

    private void attributeNames(ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        Term<?> term = enclosingTerm(context.getCurrentModel());
        if (term != null) {
            termArguments(term, context, acceptor);
            return;
        }
        OpCall call = enclosingCall(context.getCurrentModel());
        OpCatalog.Signature sig = call == null ? null : OpCatalog.get(call.getOp());
        if (sig == null) {
            return;
        }
        for (String name : new TreeSet<>(sig.attributes())) {
            ContentAssistEntry entry = getProposalCreator().createProposal(name + "=", context, e -> {
                e.setLabel(name);
                e.setDescription(sig.name() + " attribute");
                e.setKind(ContentAssistEntry.KIND_PROPERTY);
            });
            accept(entry, acceptor, 0);
        }
    }

    /** The arguments of a vocabulary term, in its order, each with its type, default and doc. */
    private void termArguments(Term<?> term, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        List<Parameter> ps = term.parameters();
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            ContentAssistEntry entry = getProposalCreator().createProposal(p.name() + "=", context, e -> {
                e.setLabel(p.name());
                e.setDescription(p.type() + ", default " + p.defaultText() + (p.range().toString().isEmpty() ? "" : ", " + p.range()));
                e.setDocumentation(p.doc());
                e.setKind(ContentAssistEntry.KIND_PROPERTY);
            });
            accept(entry, acceptor, ps.size() - i);
        }
    }

    /** The terms of a vocabulary family, each with its signature and doc. */
    private void terms(Term.Kind kind, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        List<? extends Term<?>> all = Vocabulary.of(kind);
        for (int i = 0; i < all.size(); i++) {
            Term<?> t = all.get(i);
            ContentAssistEntry entry = getProposalCreator().createProposal(t.name(), context, e -> {
                e.setDescription(t.signature());
                e.setDocumentation(t.doc());
                e.setKind(ContentAssistEntry.KIND_VALUE);
            });
            accept(entry, acceptor, all.size() - i);
        }
    }

    /**
     * After {@code data}, {@code optimizer}, {@code schedule}, {@code init=} or a param's {@code =}: the vocabulary's
     * terms; after {@code padding=}: same and valid; after {@code mode=}: the modes.
     */
    private void wordValues(ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        Term.Kind kind = kindAt(context.getCurrentModel());
        if (kind != null) {
            terms(kind, context, acceptor);
            return;
        }
        Attribute attribute = enclosing(context.getCurrentModel(), Attribute.class);
        String name = attribute == null ? null : attribute.getName();
        if ("padding".equals(name)) {
            words(List.of("same", "valid"), "padding", context, acceptor);
        } else if ("mode".equals(name)) {
            words(List.of("nearest", "bilinear"), "up-sampling mode", context, acceptor);
        } else if ("bias".equals(name)) {
            words(List.of("true", "false"), "bias", context, acceptor);
        }
    }

    /** Proposes words in the order given (N G K C ... reads better than sorted). */
    private void words(Iterable<String> words, String description, ContentAssistContext context,
                       IIdeContentProposalAcceptor acceptor) {
        List<String> all = new java.util.ArrayList<>();
        words.forEach(all::add);
        for (int i = 0; i < all.size(); i++) {
            String w = all.get(i);
            ContentAssistEntry entry = getProposalCreator().createProposal(w, context, e -> {
                e.setDescription(description);
                e.setKind(ContentAssistEntry.KIND_VALUE);
            });
            accept(entry, acceptor, all.size() - i);
        }
    }

    private void accept(ContentAssistEntry entry, IIdeContentProposalAcceptor acceptor, int rank) {
        if (entry != null) { // null when the prefix does not match
            acceptor.accept(entry, getProposalPriorities().getDefaultPriority(entry) + 10 + rank);
        }
    }

    /** The vocabulary family a word at {@code model} belongs to, or null outside the training vocabulary. */
    public static Term.Kind kindAt(EObject model) {
        for (EObject e = model; e != null; e = e.eContainer()) {
            if (e instanceof DataItem) {
                return Term.Kind.DATA_SOURCE;
            }
            if (e instanceof OptimizerItem) {
                return Term.Kind.OPTIMIZER;
            }
            if (e instanceof ScheduleItem) {
                return Term.Kind.SCHEDULE;
            }
            if (e instanceof CurriculumItem) {
                return Term.Kind.CURRICULUM;
            }
            if (e instanceof ParamDecl || e instanceof Attribute a && "init".equals(a.getName())) {
                return Term.Kind.INITIALIZER;
            }
            if (e instanceof OpCall || e instanceof org.edgenn.dsl.edgeNN.TrainItem) {
                return null;
            }
        }
        return null;
    }

    /** The vocabulary term whose argument list encloses {@code model} ({@code adam(|)}), or null. */
    public static Term<?> enclosingTerm(EObject model) {
        WordValue w = enclosing(model, WordValue.class);
        if (w == null || w.getWord() == null) {
            return null;
        }
        Term.Kind kind = kindAt(w.eContainer());
        return kind == null ? null : Vocabulary.find(kind, w.getWord()).orElse(null);
    }

    private static OpCall enclosingCall(EObject model) {
        // inside adam(lr=...) or gaussian(sigma=...) the attribute belongs to a word, not to the op
        for (EObject e = model; e != null; e = e.eContainer()) {
            if (e instanceof OpCall call) {
                return call;
            }
            if (e instanceof org.edgenn.dsl.edgeNN.WordValue) {
                return null;
            }
        }
        return null;
    }

    static <T> T enclosing(EObject model, Class<T> type) {
        for (EObject e = model; e != null; e = e.eContainer()) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }
}
