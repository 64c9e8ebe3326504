package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.Optional;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.util.Modules2;
import org.edgenn.dsl.EdgeNNRuntimeModule;
import org.edgenn.dsl.ide.editor.EdgeNNEditorServices;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.edgenn.dsl.ide.hover.TargetCostModel;
import org.junit.jupiter.api.Test;

/** Hover texts: shapes, parameters and MACs from the lowered network; costs only with a cost model. */
class HoverTest {

    private static String hoverAt(EditorDocument doc, String anchor) {
        int at = doc.text().indexOf(anchor);
        assertTrue(at >= 0, anchor);
        return doc.hover(at + 1);
    }

    @Test
    void sharedLayerShowsShapeParamsAndMacs() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        String h = hoverAt(doc, "We = dense");
        // 250 x 500 weights, no bias; applied once
        assertTrue(h.startsWith("**layer We = dense**\n\noutput [500], params 125k, MACs 125k\n\non Tiny16: latency "), h);
    }

    @Test
    void mappedCostRespectsTheTargetsPhysicalBounds() {
        // the default binding maps the network with the mapper; We's 125,000 int8 weights must come
        // from DRAM at 4 B/cycle and 400 MHz (>= 78.125 us) and cost 80 pJ per byte read (>= 10 uJ)
        EditorDocument doc = Editors.open(Editors.LISTA);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("latency ([0-9.]+) us, energy ([0-9.]+) uJ")
                .matcher(hoverAt(doc, "We = dense"));
        assertTrue(m.find(), hoverAt(doc, "We = dense"));
        double us = Double.parseDouble(m.group(1));
        double uj = Double.parseDouble(m.group(2));
        assertTrue(us >= 78.125 && us < 10 * 78.125, "latency " + us + " us");
        assertTrue(uj >= 10 && uj < 10 * 10, "energy " + uj + " uJ");
    }

    @Test
    void perStepLayerSumsOverTheUnrolledSteps() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        String h = hoverAt(doc, "S[16] = dense");
        // 16 untied 500 x 500 matrices, each applied once
        assertTrue(h.startsWith("**layer S[16] = dense**\n\noutput [500], params 4M, MACs 4M"), h);
        assertTrue(h.contains("16 unrolled steps"), h);
    }

    @Test
    void letAndStateAndParam() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        assertTrue(hoverAt(doc, "b = We(y)").startsWith("**let b**\n\noutput [500]"), hoverAt(doc, "b = We(y)"));
        assertTrue(hoverAt(doc, "x: f32[500] = 0").startsWith("**state x**\n\noutput f32[500]"));
        assertEquals("**param theta**\n\noutput f32[1] × 16, params 16", hoverAt(doc, "theta[16]"));
        assertEquals("**input y**\n\noutput f32[250]", hoverAt(doc, "y: f32"));
    }

    @Test
    void opNameShowsTheCatalogueDoc() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        assertTrue(hoverAt(doc, "shrink(").startsWith("**shrink** — soft threshold"), hoverAt(doc, "shrink("));
    }

    @Test
    void referenceHoversLikeItsDeclaration() {
        EditorDocument doc = Editors.open(Editors.LISTA);
        int use = doc.text().indexOf("We(y)");
        assertEquals(hoverAt(doc, "We = dense"), doc.hover(use));
    }

    @Test
    void noCostLinesWithoutACostModel() {
        Injector injector = Guice.createInjector(Modules2.mixin(new EdgeNNRuntimeModule(), new EdgeNNIdeModule(),
                binder -> binder.bind(TargetCostModel.class).to(TargetCostModel.None.class)));
        EditorDocument doc = injector.getInstance(EdgeNNEditorServices.class)
                .open(URI.createURI("inmemory:/nocost.edgenn"), Editors.LISTA);
        assertFalse(hoverAt(doc, "We = dense").contains("latency"));
    }

    @Test
    void costLinesFromABoundCostModelWhenATargetIsDeclared() {
        // what the mapper will bind: here a fake that charges 1 us and 2 nJ per node
        TargetCostModel fake = (network, target, nodes) -> Optional.of(new TargetCostModel.Cost(1e-6 * nodes.size(), 2e-9 * nodes.size()));
        Injector injector = Guice.createInjector(Modules2.mixin(new EdgeNNRuntimeModule(), new EdgeNNIdeModule(),
                binder -> binder.bind(TargetCostModel.class).toInstance(fake)));
        EdgeNNEditorServices services = injector.getInstance(EdgeNNEditorServices.class);
        EditorDocument doc = services.open(URI.createURI("inmemory:/cost.edgenn"), Editors.LISTA);
        String h = hoverAt(doc, "S[16] = dense");
        assertTrue(h.contains("on Tiny16: latency 16 us, energy 32 nJ"), h);

        // no target named in the budgets: no cost lines even with a model
        EditorDocument untargeted = services.open(URI.createURI("inmemory:/cost2.edgenn"),
                Editors.LISTA.replace("    budget latency < 5 ms on Tiny16\n", ""));
        assertFalse(hoverAt(untargeted, "S[16] = dense").contains("latency"));
    }

    @Test
    void brokenNetworkSaysSoInsteadOfFailing() {
        EditorDocument doc = Editors.open(Editors.LISTA.replace("dense(250 -> 500, bias=false, init=dictionary_t)",
                "dense(250 -> 400, bias=false, init=dictionary_t)"));
        assertTrue(hoverAt(doc, "S[16] = dense").contains("fix the errors"));
        assertNull(doc.hover(-5));
        assertNull(doc.hover(doc.text().length() + 10));
        assertNull(doc.hover(doc.text().indexOf("accelerator")), "nothing to say about an accelerator keyword");
    }
}
