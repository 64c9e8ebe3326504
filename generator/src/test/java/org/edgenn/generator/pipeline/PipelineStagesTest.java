package org.edgenn.generator.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.edgenn.generator.mapping.BudgetCheck;
import org.edgenn.generator.mapping.BudgetLine;
import org.edgenn.generator.mapping.NetworkMapper;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.NoValidMappingException;
import org.edgenn.generator.mapping.Objective;
import org.edgenn.generator.mapping.ProgressListener;
import org.edgenn.generator.mapping.SearchOptions;
import org.edgenn.generator.report.BuildReport;
import org.edgenn.generator.training.LoweredAccess;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import org.edgenn.runtime.cost.InvalidAcceleratorException;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check, map and report stages as the CLI, the Maven plugin and the Eclipse builder run them: the map stage
 * equals the mapper it wraps and turns its typed errors into a value; the check stage reports exactly the budget
 * violations {@link BudgetCheck} finds on the quick mapping; the report stage writes what the stages found.
 */
class PipelineStagesTest {
    @TempDir Path dir;

    private static final String NET = """
            package demo

            accelerator Small {
              mac int8 accumulator int32
              clock 100 MHz
              axis rows 4 unrolls K
              axis cols 4 unrolls C
              memory rf   size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
              memory gbuf size 16 KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
              memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
            }

            network Net {
              input x: f32[32]
              label t: f32[8]
              let y = dense(relu(dense(x, 32 -> 16)), 16 -> 8)
              output y
              loss mse(y, t)
              compress {
                budget latency < 1 ns on Small
              }
            }
            """;

    private static AcceleratorSpec tiny() {
        return new AcceleratorSpec("Tiny", 8, 32, 100e6,
                List.of(new ArrayAxis("rows", 4, EnumSet.of(LoopDim.C, LoopDim.G)),
                        new ArrayAxis("cols", 4, EnumSet.of(LoopDim.K, LoopDim.OX))),
                List.of(new MemoryLevel("rf", 16, true, Double.POSITIVE_INFINITY, EnumSet.allOf(Operand.class), 0.05, 0.05),
                        new MemoryLevel("gbuf", 2048, false, 16, EnumSet.allOf(Operand.class), 1.0, 1.2),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 4, EnumSet.allOf(Operand.class), 60, 60)));
    }

    private static final Workload.Precision P = Workload.Precision.int8(32);

    @Test
    void theMapStageFindsWhatTheMapperFinds() {
        List<Workload> layers = List.of(Workload.dense("fc1", 1, 16, 32, P), Workload.dense("fc2", 1, 8, 16, P));
        SearchOptions options = SearchOptions.quick();
        MapStage.Result r = new MapStage(MapStage.Options.search(Objective.ENERGY, options, ProgressListener.NONE))
                .run(MapStage.Input.workloads(layers, tiny()));
        assertTrue(r.ok(), r.failure());
        NetworkMapping direct = NetworkMapper.map(layers, tiny(), Objective.ENERGY, options, ProgressListener.NONE);
        assertEquals(1, r.mappings().size());
        assertEquals(direct.totalEnergyPj(), r.mappings().get(0).totalEnergyPj());
        assertEquals(direct.totalLatencySeconds(), r.mappings().get(0).totalLatencySeconds());
    }

    @Test
    void aLayerThatFitsNowhereIsTheStagesFailureNotAnException() {
        AcceleratorSpec wide = new AcceleratorSpec("Wide", 8, 64, 100e6,
                List.of(new ArrayAxis("rows", 4, EnumSet.of(LoopDim.K))),
                List.of(new MemoryLevel("acc", 4, true, Double.POSITIVE_INFINITY, EnumSet.of(Operand.O), 0.05, 0.05),
                        new MemoryLevel("dram", MemoryLevel.UNBOUNDED, false, 4, EnumSet.allOf(Operand.class), 60, 60)));
        List<Workload> layers = List.of(Workload.dense("fc", 1, 4, 4, Workload.Precision.int8(64))); // 8-byte psums > 4 B
        NoValidMappingException expected = assertThrows(NoValidMappingException.class, () -> NetworkMapper.map(layers, wide,
                Objective.EDP, SearchOptions.quick(), ProgressListener.NONE));
        MapStage.Result r = new MapStage().run(MapStage.Input.workloads(layers, wide));
        assertEquals(expected.getMessage(), r.failure());
        assertEquals(List.of(), r.mappings());
    }

    @Test
    void anAcceleratorThatBreaksAHierarchyRuleIsTheStagesFailure() {
        AcceleratorSpec bad = new AcceleratorSpec("Bad", 8, 32, 100e6,
                List.of(new ArrayAxis("rows", 4, EnumSet.noneOf(LoopDim.class))),
                List.of(new MemoryLevel("gbuf", 2048, false, 16, EnumSet.of(Operand.W), 1.0, 1.2),
                        new MemoryLevel("rf", 16, true, 0, EnumSet.of(Operand.W), 0.05, 0.05)));
        List<Workload> layers = List.of(Workload.dense("fc", 1, 4, 4, P));
        InvalidAcceleratorException expected = assertThrows(InvalidAcceleratorException.class, () -> NetworkMapper.map(layers,
                bad, Objective.EDP, SearchOptions.quick(), ProgressListener.NONE));
        assertEquals(expected.getMessage(), new MapStage().run(MapStage.Input.workloads(layers, bad)).failure());
    }

    @Test
    void theCheckStageReportsTheBudgetsTheQuickMappingExceeds() {
        Program p = LoweredAccess.text(dir, "n.edgenn", NET);
        Network net = p.network("Net").orElseThrow();
        AcceleratorSpec small = p.accelerator("Small").orElseThrow();

        CheckStage.Checked checked = new CheckStage(true).run(new CheckStage.Input(List.of(), p, n -> true));
        List<Diagnostic> expected = BudgetCheck.violations(net, BudgetCheck.quickMapping(net, small));
        assertEquals(1, expected.size(), "a 1 ns latency budget cannot be met");
        assertEquals(expected, checked.diagnostics());
        assertEquals(20, checked.diagnostics().get(0).line(), checked.diagnostics().toString()); // the budget's line
        assertEquals(List.of(net), checked.networks());
        assertEquals(1, checked.mappings().get("Net").size());
        assertTrue(!checked.ok());

        CheckStage.Checked unchecked = new CheckStage(false).run(new CheckStage.Input(List.of(), p, n -> true));
        assertEquals(List.of(), unchecked.diagnostics());
        assertEquals(java.util.Map.of(), unchecked.mappings());
        assertTrue(unchecked.ok());
    }

    @Test
    void aLoadErrorStopsAtTheCheckStage() {
        Diagnostic syntax = new Diagnostic(dir.resolve("n.edgenn"), 3, 5, true, "mismatched input");
        CheckStage.Checked checked = new CheckStage(true).run(new CheckStage.Input(List.of(syntax), null, n -> true));
        assertNull(checked.program());
        assertEquals(List.of(syntax), checked.errors());
        assertEquals(List.of(), checked.networks());
    }

    @Test
    void theReportStageWritesTheStagesValues() throws Exception {
        Program p = LoweredAccess.text(dir, "n.edgenn", NET);
        Network net = p.network("Net").orElseThrow();
        AcceleratorSpec small = p.accelerator("Small").orElseThrow();
        NetworkMapping mapping = new MapStage().run(MapStage.Input.on(net, small)).mappings().get(0);
        List<BudgetLine> budgets = BudgetCheck.status(net, mapping);
        ReportStage.Verified verified = new ReportStage.Verified(
                new BuildReport.TaskMetrics("nmse_db", "int8", -7.5, -7.25, "Net.metrics.json", -7.2, 4), java.util.Map.of(),
                java.util.Map.of(), List.of(new BuildReport.Check("(a) int8 kernels vs Small hardware model", true, "ok")));
        Path out = Files.createDirectories(dir.resolve("out"));
        ReportStage.Written w = new ReportStage().run(new ReportStage.Input(net, small, mapping, 0.5, verified, budgets,
                null, List.of("Net.safetensors"), out));
        assertTrue(w.ok(), w.failure());
        assertEquals(out.resolve("report.html"), w.file());
        String html = Files.readString(w.file());
        assertTrue(html.contains("Net on Small"), "title names network and target");
        assertTrue(html.contains("(a) int8 kernels vs Small hardware model"), "the verify stage's checks are listed");

        ReportStage.Written unwritable = new ReportStage().run(new ReportStage.Input(net, small, mapping, 0.5, verified,
                budgets, null, List.of(), dir.resolve("n.edgenn"))); // a file, not a directory
        assertNull(unwritable.file());
        assertTrue(unwritable.failure().startsWith("cannot write "), unwritable.failure());
    }
}
