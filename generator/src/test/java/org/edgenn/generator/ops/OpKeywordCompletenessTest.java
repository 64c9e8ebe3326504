package org.edgenn.generator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.eclipse.xtext.AbstractRule;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.IGrammarAccess;
import org.eclipse.xtext.Keyword;
import org.edgenn.dsl.EdgeNNStandaloneSetup;
import org.edgenn.dsl.lowering.OpCatalog;
import org.edgenn.ir.ops.Constant;
import org.edgenn.ir.ops.Elementwise;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The language's op keywords, the op catalogue and the op traits are kept in step: every keyword of the grammar's
 * {@code OpName} rule has a catalogue entry (a keyword without one would make its {@code let} vanish), every entry
 * is a keyword, every entry's IR op has traits, and every IR op is reachable from the language.
 */
class OpKeywordCompletenessTest {
    /**
     * IR ops the language writes without an op keyword: operators ({@code + - * /}), number literals, declarations, a
     * layer applied transposed ({@code A^T(r)}).
     */
    private static final Set<Class<? extends Op>> WITHOUT_KEYWORD = Set.of(Elementwise.class, Constant.class, Source.class,
            org.edgenn.ir.ops.DenseTransposed.class);

    private static Set<String> keywords;

    @BeforeAll
    static void grammar() {
        IGrammarAccess g = new EdgeNNStandaloneSetup().createInjectorAndDoEMFRegistration().getInstance(IGrammarAccess.class);
        AbstractRule opName = GrammarUtil.findRuleForName(g.getGrammar(), "OpName");
        assertNotNull(opName, "the grammar has no OpName rule");
        keywords = new TreeSet<>();
        for (Keyword k : GrammarUtil.containedKeywords(opName)) {
            keywords.add(k.getValue());
        }
        assertTrue(keywords.size() >= 30, "OpName keywords: " + keywords);
    }

    @Test
    void everyGrammarKeywordHasACatalogueEntry() {
        List<String> missing = withoutEntry(keywords, OpCatalog::get);
        assertTrue(missing.isEmpty(), "op keywords of EdgeNN.xtext without an OpCatalog entry: " + missing);
    }

    /**
     * The check above fails when it should: a catalogue that has lost {@code matvec} (the keyword that once vanished
     * silently) leaves exactly that keyword without an entry.
     */
    @Test
    void aKeywordWithoutACatalogueEntryIsReported() {
        assertTrue(keywords.contains("matvec"), "matvec is an op keyword");
        Function<String, OpCatalog.Signature> withoutMatvec = k -> "matvec".equals(k) ? null : OpCatalog.get(k);
        assertEquals(List.of("matvec"), withoutEntry(keywords, withoutMatvec));
    }

    static List<String> withoutEntry(Set<String> keywords, Function<String, OpCatalog.Signature> catalogue) {
        return keywords.stream().filter(k -> catalogue.apply(k) == null).toList();
    }

    @Test
    void everyCatalogueEntryIsAGrammarKeyword() {
        List<String> missing = OpCatalog.all().keySet().stream().filter(k -> !keywords.contains(k)).toList();
        assertTrue(missing.isEmpty(), "OpCatalog entries that are no OpName keyword of EdgeNN.xtext: " + missing);
    }

    @Test
    void everyCatalogueEntryHasTraits() {
        List<String> missing = new ArrayList<>();
        for (OpCatalog.Signature s : OpCatalog.all().values()) {
            if (OpTraitsRegistry.forClass(s.op()) == null) {
                missing.add(s.name() + " (" + s.op().getSimpleName() + ")");
            }
        }
        assertTrue(missing.isEmpty(), "catalogue entries whose IR op has no traits: " + missing);
    }

    @Test
    void everyIrOpIsReachableFromTheLanguage() {
        Set<Class<?>> built = new java.util.HashSet<>(WITHOUT_KEYWORD);
        OpCatalog.all().values().forEach(s -> built.add(s.op()));
        List<String> unreachable = new ArrayList<>();
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            if (!built.contains(c)) {
                unreachable.add(c.getSimpleName());
            }
        }
        assertTrue(unreachable.isEmpty(), "IR ops no op keyword builds: " + unreachable);
    }
}
