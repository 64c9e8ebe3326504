package org.edgenn.dsl.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.edgenn.ir.graph.LayerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Families instantiate to files that check and lower like hand-written ones: the LISTA family bound to depth 16,
 * untied, int8 is the hand-written LISTA example (same parameters and MACs), tied instances share one S, and the
 * accelerator family bound to 16x16 with 128 KiB is Tiny16 with an area.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class InstantiationTest {

    @Inject
    private ParseHelper<Model> parser;

    @Inject
    private ValidationTestHelper validator;

    @Inject
    private ProgramLowering lowering;

    private static String example(String path) throws Exception {
        return Files.readString(Path.of("../examples/src/main/edgenn", path));
    }

    /** The exploration example without its import-free parts changed. */
    private Model family() throws Exception {
        Model m = parser.parse(example("explore/lista_tiny.edgenn"));
        List<Issue> errors = errors(m);
        assertTrue(errors.isEmpty(), errors.toString());
        return m;
    }

    private List<Issue> errors(Model m) {
        return validator.validate(m).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
    }

    private Model instance(Model family, Map<String, String> net, Map<String, String> acc) throws Exception {
        Network n = (Network) family.getElements().stream().filter(Network.class::isInstance).findFirst().orElseThrow();
        Accelerator a = (Accelerator) family.getElements().stream().filter(Accelerator.class::isInstance).findFirst().orElseThrow();
        String text = Instantiation.file(family, Map.of(n, net, a, acc));
        assertEquals(example("explore/lista_tiny.edgenn").lines().count(), text.lines().count(), "lines are kept");
        Model m = parser.parse(text);
        List<Issue> errors = errors(m);
        assertTrue(errors.isEmpty(), errors + "\n" + text);
        return m;
    }

    private static Map<String, String> net(String depth, String untied, String bits) {
        return Map.of("$depth", depth, "$untied", untied, "$wbits", bits);
    }

    private static Map<String, String> acc(String rows, String cols, String kib) {
        return Map.of("$rows", rows, "$cols", cols, "$gbuf", kib);
    }

    @Test
    void theUntiedInt8Depth16InstanceIsTheHandWrittenLista() throws Exception {
        Model inst = instance(family(), net("16", "true", "int8"), acc("16", "16", "128"));
        var ir = lowering.lower(List.of(inst));
        var lista = lowering.lower(List.of(parser.parse(example("lista/lista.edgenn").replace("import \"../targets/tiny16.edgenn\"", "")
                .replaceAll("budget latency < 5 ms on Tiny16", ""))));
        var a = LayerStats.of(ir.networks().get(0));
        var b = LayerStats.of(lista.networks().get(0));
        assertEquals(LayerStats.totalParams(b), LayerStats.totalParams(a));
        assertEquals(LayerStats.totalMacs(b), LayerStats.totalMacs(a));
        assertEquals(lista.networks().get(0).weights().size(), ir.networks().get(0).weights().size());
    }

    @Test
    void aTiedInstanceSharesOneWeightAcrossSteps() throws Exception {
        var ir = lowering.lower(List.of(instance(family(), net("6", "false", "int4"), acc("8", "32", "64")))).networks().get(0);
        // We, one S and six thresholds
        assertEquals(1 + 1 + 6, ir.weights().size());
        assertEquals(250 * 500 + 500 * 500 + 6, LayerStats.totalParams(LayerStats.of(ir)));
        assertEquals(4, ir.compression().weights().precision().bits());
    }

    @Test
    void theAcceleratorInstanceCarriesItsAreaModel() throws Exception {
        var spec = lowering.lower(List.of(instance(family(), net("2", "true", "int8"), acc("16", "16", "128"))))
                .accelerators().get(0);
        assertEquals(256, spec.peCount());
        assertEquals(128 * 1024, spec.memories().get(1).sizeBytes());
        // 256 PEs x (419 um2 + 64 B x 36 um2/B) + 128 KiB x 5.0 um2/B
        double expected = (256 * (419 + 64 * 36.0) + 128 * 1024 * 5.0) * 1e-6;
        assertEquals(expected, spec.areaMm2(), 1e-12);
    }

    @Test
    void theSpacesEnumerateTheirDomainsUnderTheConstraints() throws Exception {
        Model m = family();
        var n = ParameterSpace.of(m.getElements().get(0));
        var a = ParameterSpace.of(m.getElements().get(1));
        assertEquals(8 * 2 * 2, n.bindings().size());
        assertEquals(List.of("2", "4", "6", "8", "10", "12", "14", "16"), n.param("$depth").values());
        assertEquals(3 * 3 * 4, a.size());
        long admitted = 0;
        for (int r : new int[] {8, 16, 32}) {
            for (int c : new int[] {8, 16, 32}) {
                admitted += r * c <= 512 ? 4 : 0;
            }
        }
        assertEquals(admitted, a.bindings().size());
        assertNotNull(a.param("$gbuf"));
    }
}
