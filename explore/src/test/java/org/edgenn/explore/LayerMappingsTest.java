package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.mapping.IrWorkloads;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The screening's shared layer searches give exactly what {@link NetworkMapper#map} gives each candidate on its own:
 * every candidate of a LISTA-like family (depths, tied/untied, int4/int8 weights, two arrays) evaluated in an order
 * that makes most layers come from another candidate's search, against the mapper run on the candidate alone; then
 * the full search of each (reusing the quick search's exhaustive results) against the full search run alone.
 */
class LayerMappingsTest {
    private static final String SPACE = """
        network L($depth: {1, 2, 3}, $untied: bool, $w: {int4, int8}) {
          input y: f32[24]
          label x_true: f32[48]
          layer We = dense(24 -> 48, bias=false)
          layer S[$depth if $untied] = dense(48 -> 48, bias=false)
          param theta[$depth]: f32[1] = 0.1
          let b = We(y)
          state x: f32[48] = 0
          unroll $depth as k {
            x = shrink(b + S[k](x), theta[k])
          }
          output x
          loss nmse(x, x_true)
          compress {
            weights $w per-channel
            activations int8
          }
        }

        accelerator A($rows: {4, 8}) {
          mac int8 accumulator int32
          clock 100 MHz
          axis rows $rows unrolls K
          axis cols 4 unrolls C
          memory gbuf size 4 KiB bandwidth 16 B/cycle holds W, I, O read 1 pJ/B
          memory dram bandwidth 4 B/cycle holds W, I, O read 50 pJ/B
        }

        explore X {
          networks L
          accelerators A
          minimize energy, latency
          strategy grid
        }
        """;

    @TempDir
    Path dir;

    @Test
    void sharedSearchesGiveTheMappingOfEachCandidateAlone() throws Exception {
        Path file = dir.resolve("x.edgenn");
        Template t = Template.parse(file, SPACE);
        Evaluator e = new Evaluator(file, SPACE, "X", List.of());
        List<Candidate> all = new ArrayList<>();
        for (String w : List.of("int8", "int4")) {
            for (int depth = 3; depth >= 1; depth--) {
                for (String untied : List.of("true", "false")) {
                    for (String rows : List.of("8", "4")) {
                        Map<String, String> n = new LinkedHashMap<>();
                        n.put("$depth", "" + depth);
                        n.put("$untied", untied);
                        n.put("$w", w);
                        all.add(new Candidate("L", n, "A", Map.of("$rows", rows)));
                    }
                }
            }
        }
        long before = LayerMappings.SEARCHES.get();
        check(all, e, t, Evaluator.Stage.QUICK, SearchOptions.quick());
        long quick = LayerMappings.SEARCHES.get() - before;
        // the full search of every candidate: where the quick search was exhaustive, it is reused, and still equal to
        // the full search run alone
        check(all, e, t, Evaluator.Stage.FULL, SearchOptions.defaults());
        long full = LayerMappings.SEARCHES.get() - before - quick;
        assertTrue(full < quick, "full searches run " + full + ", quick " + quick);
    }

    private void check(List<Candidate> all, Evaluator e, Template t, Evaluator.Stage stage, SearchOptions options)
            throws Exception {
        for (Candidate c : all) {
            Result shared = e.evaluate(c, stage);
            assertTrue(shared.feasible(), shared.problems().toString());
            XtextResourceSet rs = Workspace.injector().getInstance(XtextResourceSet.class);
            Resource r = rs.createResource(URI.createFileURI(dir.resolve("alone.edgenn").toString()));
            r.load(new ByteArrayInputStream(t.instance(c).getBytes(StandardCharsets.UTF_8)), Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
            Program p = Workspace.injector().getInstance(ProgramLowering.class).lowerAll(rs);
            Network net = p.network("L").orElseThrow();
            AcceleratorSpec acc = p.accelerator("A").orElseThrow();
            NetworkMapping alone = NetworkMapper.map(IrWorkloads.of(net, acc), acc, Objective.EDP,
                    options.withThreads(1), ProgressListener.NONE);
            assertEquals(alone.totalEnergyPj() * 1e-12, shared.metric("energy"), 0.0, c.key());
            assertEquals(alone.totalLatencySeconds(), shared.metric("latency"), 0.0, c.key());
        }
    }
}
