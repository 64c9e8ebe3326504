package org.edgenn.dsl.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.Examples;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.edgenn.ir.Shape;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Dense;
import org.edgenn.ir.ops.Shrink;
import org.edgenn.ir.spec.Budget;
import org.edgenn.ir.spec.Compression;
import org.edgenn.ir.spec.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples lower to the IR a reader of the papers expects: shapes, weight sharing, counts. */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class LoweringTest {

    @Inject
    private Injector injector;

    @Inject
    private ProgramLowering lowering;

    @Inject
    private ParseHelper<Model> parser;

    private Program example(String relative) {
        Resource r = Examples.load(injector, Examples.ROOT.resolve(relative));
        List<Issue> issues = Examples.validate(r);
        assertTrue(issues.isEmpty(), () -> relative + " should check clean: " + issues);
        return lowering.lower(List.of((Model) r.getContents().get(0)));
    }

    @Test
    void everyExampleChecksCleanWithoutWarnings() {
        List<Path> files = Examples.files();
        assertTrue(files.size() >= 4, "examples: " + files);
        for (Path f : files) {
            List<Issue> issues = Examples.validate(Examples.load(injector, f));
            assertTrue(issues.isEmpty(), () -> f + ": " + issues);
        }
    }

    @Test
    void listaUnrollsSixteenUntiedStepsSharingTheMeasurement() {
        Network lista = example("lista/lista.edgenn").network("Lista").orElseThrow();
        assertEquals("examples.lista", lista.javaPackage());
        List<Node> steps = lista.nodes().stream().filter(n -> n.op() instanceof Shrink).toList();
        assertEquals(16, steps.size());
        for (int k = 0; k < 16; k++) {
            Node shrink = steps.get(k);
            assertEquals("x[" + k + "]", shrink.name());
            assertEquals(k, shrink.step());
            assertEquals(Shape.of(500), shrink.shape());
            // shrink(b + S[k](x[k-1]), theta[k]); b = We(y) is the node of layer We, computed once
            Node add = lista.node(shrink.inputs().get(0));
            assertEquals(List.of("We", "S[" + k + "]"), add.inputs());
            Node s = lista.node("S[" + k + "]");
            assertEquals(new Dense(500, 500, false), s.op());
            assertEquals(List.of(k == 0 ? "x.init" : "x[" + (k - 1) + "]"), s.inputs());
            assertEquals("theta[" + k + "]", shrink.inputs().get(1));
        }
        // untied: one S weight per step; We once; 16 thresholds
        Map<String, List<String>> users = lista.weightUsers();
        for (int k = 0; k < 16; k++) {
            assertEquals(List.of("S[" + k + "]"), users.get("S[" + k + "].weight"));
        }
        assertEquals(List.of("We"), users.get("We.weight"));
        assertEquals(1 + 16 + 16, lista.weights().size());
        // params and MACs by hand: We 250x500, S_k 500x500, theta_k scalar
        long params = 250L * 500 + 16L * 500 * 500 + 16;
        List<LayerStats> stats = LayerStats.of(lista);
        assertEquals(params, LayerStats.totalParams(stats));
        assertEquals(250L * 500 + 16L * 500 * 500, LayerStats.totalMacs(stats));
        assertEquals(params, lista.parameterCount());
        assertEquals(List.of("x[15]"), lista.outputs());
        assertEquals(new org.edgenn.ir.spec.vocab.Initializer.DictionaryT(), lista.weight("We.weight").init());
    }

    @Test
    void listaLossesAreTrainingOnlyAndSumToOneNode() {
        Network lista = example("lista/lista.edgenn").network("Lista").orElseThrow();
        Node loss = lista.node(lista.loss());
        assertEquals(Shape.SCALAR, loss.shape());
        assertTrue(loss.trainingOnly());
        assertTrue(lista.node("x_true").trainingOnly());
        assertFalse(lista.node("x[15]").trainingOnly());
        assertTrue(lista.inferenceNodes().stream().noneMatch(Node::trainingOnly));
        Compression c = lista.compression();
        assertEquals(8, c.weights().precision().bits());
        assertTrue(c.weights().perChannel());
        assertFalse(c.activations().perChannel());
        Budget latency = c.budgets().stream().filter(b -> b.metric() == Budget.Metric.LATENCY).findFirst().orElseThrow();
        assertEquals(5e-3, latency.limit(), 1e-12);
        assertEquals("Tiny16", latency.target());
        assertEquals(4.2e6, c.budgets().get(0).limit(), 1e-6);
    }

    @Test
    void cscDenoiserTiesItsDictionariesAcrossSteps() {
        Network csc = example("denoise/csc_denoiser.edgenn").network("CscDenoiser").orElseThrow();
        Map<String, List<String>> users = csc.weightUsers();
        assertEquals(8, users.get("A.weight").size());
        assertEquals(8, users.get("B.weight").size());
        assertEquals(List.of("D"), users.get("D.weight"));
        Conv2d a = (Conv2d) csc.node("A@0").op();
        assertEquals(64, a.in());
        assertEquals(1, a.out());
        assertEquals(Shape.of(64, 64, 64), csc.node("z[7]").shape());
        // 64 atoms of 7x7 at 64x64: each conv is 64*49*64*64 MACs, two per step, eight steps, plus D
        long conv = 64L * 49 * 64 * 64;
        assertEquals(17 * conv, LayerStats.totalMacs(LayerStats.of(csc)));
        assertEquals(3 * 64 * 49 + 8 * 64, LayerStats.totalParams(LayerStats.of(csc)));
    }

    @Test
    void fashionCnnShapesFollowTheLayers() {
        Program p = example("fmnist/fashion_cnn.edgenn");
        Network cnn = p.network("FashionCnn").orElseThrow();
        assertEquals(Shape.of(32, 28, 28), cnn.node("c1").shape());
        assertEquals(Shape.of(64, 7, 7), cnn.node("p2").shape());
        assertEquals(Shape.of(10), cnn.node("logits").shape());
        assertEquals(320 + 18496 + 401536 + 1290, LayerStats.totalParams(LayerStats.of(cnn)));
        assertEquals(0.5, cnn.compression().pruning().get(0).fraction(), 0);
        Network tiny = p.network("FashionTiny").orElseThrow();
        Node teacher = tiny.node("big");
        assertEquals(Shape.of(10), teacher.shape());
        assertTrue(teacher.trainingOnly());
        assertTrue(((Conv2d) tiny.node("c1.depthwise").op()).isDepthwise());
        TrainingSpec t = p.training("FashionCnn").orElseThrow();
        assertEquals(List.of("image", "target"), t.bindings());
        assertEquals(12, t.epochs());
        assertEquals(8, t.qatFromEpoch());
        assertEquals(new org.edgenn.ir.spec.vocab.Optimizer.Adam(1e-3), t.optimizer());
        assertNull(t.curriculum());
    }

    @Test
    void theListaExampleWithALayerwiseCurriculumChecksCleanAndLowers() throws Exception {
        Path file = Examples.ROOT.resolve("lista/lista.edgenn");
        String text = java.nio.file.Files.readString(file).replace("  schedule cosine()\n",
                "  curriculum layerwise(epochs=2)      // stage k = 1..K trains unroll step k alone\n  schedule cosine()\n");
        assertTrue(text.contains("curriculum layerwise"));
        org.eclipse.xtext.resource.XtextResourceSet rs = injector.getInstance(org.eclipse.xtext.resource.XtextResourceSet.class);
        Resource r = rs.createResource(org.eclipse.emf.common.util.URI.createFileURI(
                file.resolveSibling("lista_curriculum.edgenn").toString()));   // beside lista.edgenn: its import resolves
        r.load(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
        List<Issue> issues = Examples.validate(r);
        assertTrue(issues.isEmpty(), issues::toString);
        TrainingSpec t = lowering.lower(List.of((Model) r.getContents().get(0))).training("Lista").orElseThrow();
        assertEquals(new org.edgenn.ir.spec.vocab.Curriculum.Layerwise(2), t.curriculum());
    }

    @Test
    void aLayerwiseCurriculumLowersToItsEpochsPerStage() throws Exception {
        Model m = parser.parse(org.edgenn.dsl.TrainTexts.unrolled("curriculum layerwise(epochs=3)"));
        TrainingSpec t = lowering.lower(List.of(m)).training("L").orElseThrow();
        assertEquals(new org.edgenn.ir.spec.vocab.Curriculum.Layerwise(3), t.curriculum());
    }

    @Test
    void aStagewiseRecipeLowersToItsBudgetAndMayLeaveNoJointEpochs() throws Exception {
        Model m = parser.parse(org.edgenn.dsl.TrainTexts.unrolled("curriculum stagewise(steps=300, better_wait=0)").replace("epochs 2", "epochs 0"));
        TrainingSpec t = lowering.lower(List.of(m)).training("L").orElseThrow();
        assertEquals(new org.edgenn.ir.spec.vocab.Curriculum.Stagewise(300, 50, 0), t.curriculum());   // eval: its default
        assertEquals(0, t.epochs());
    }

    @Test
    void resnet18HasThePublishedSize() {
        Network r = example("resnet/resnet18.edgenn").network("ResNet18").orElseThrow();
        List<LayerStats> stats = LayerStats.of(r);
        // 1.814 G MACs is the figure published for torchvision's resnet18 at 224x224 (fvcore, ptflops)
        assertEquals(1_814_073_344L, LayerStats.totalMacs(stats));
        // torchvision: 11,689,512 parameters, of which batch norm's scale and shift on 4,800 channels
        // (2 x 4,800); folded, they leave one bias per convolution output channel (4,800)
        assertEquals(11_689_512L - 2 * 4_800 + 4_800, LayerStats.totalParams(stats));
        assertEquals(Shape.of(512, 7, 7), r.node("b8").shape());
    }

    @Test
    void acceleratorUnitsBecomeBaseUnits() {
        Program p = example("targets/tiny16.edgenn");
        AcceleratorSpec a = p.accelerator("Tiny16").orElseThrow();
        assertEquals(400e6, a.clockHz(), 0);
        assertEquals(256, a.peCount());
        assertEquals(java.util.Set.of(LoopDim.K), a.axes().get(0).unrolls());
        assertEquals(64, a.memories().get(0).sizeBytes());
        assertTrue(a.memories().get(0).perPe());
        assertEquals(128 * 1024, a.memories().get(1).sizeBytes());
        assertEquals(1.5, a.memories().get(1).readPjPerByte(), 1e-9);
        assertEquals(1.8, a.memories().get(1).writePjPerByte(), 1e-9);
        assertTrue(a.memories().get(2).isUnbounded());
        assertEquals(3, a.levelsHolding(Operand.W).size());
        assertEquals(32, a.accumulatorBits());
    }

    @Test
    void oddWidthsAndSubByteMemoriesLowerExactly() throws Exception {
        Model m = parser.parse("""
                accelerator Odd {
                  mac int12 accumulator int24 wrap
                  clock 1 GHz
                  axis a 4 unrolls K
                  memory wreg size 12 bit per pe holds W read 0.01 pJ/B word 12 bit
                  memory w4 size 4 bit per pe holds I read 0.01 pJ/B
                  memory oreg size 3 B per pe holds O read 0.01 pJ/B word 24 bit
                  memory dram holds W, I, O read 80 pJ/B word 8 B
                }
                accelerator Sat {
                  mac int8 accumulator int20 saturate
                  clock 1 GHz
                  axis a 4 unrolls K
                  memory dram holds W, I, O read 80 pJ/B
                }
                """);
        Program p = lowering.lower(List.of(m));
        AcceleratorSpec a = p.accelerator("Odd").orElseThrow();
        assertEquals(12, a.macBits());
        assertEquals(24, a.accumulatorBits());
        assertTrue(a.wraps());
        assertEquals(1.5, a.memories().get(0).sizeBytes(), 0);
        assertEquals(12, a.memories().get(0).wordBits());
        assertEquals(0.5, a.memories().get(1).sizeBytes(), 0);
        assertEquals("4 bit", a.memories().get(1).sizeText());
        assertEquals(0, a.memories().get(1).wordBits());
        assertEquals(3, a.memories().get(2).sizeBytes(), 0);
        assertEquals(24, a.memories().get(2).wordBits());
        assertEquals(64, a.memories().get(3).wordBits());
        AcceleratorSpec sat = p.accelerator("Sat").orElseThrow();
        assertEquals(20, sat.accumulatorBits());
        assertFalse(sat.wraps());
        assertFalse(p.accelerator("Tiny16").isPresent());
    }

    @Test
    void statesCarryAcrossStepsAndLetsStayInTheirStep() throws Exception {
        Model m = parser.parse("""
                network N {
                  input x: f32[4]
                  layer L = dense(4 -> 4)
                  state s: f32[4] = x
                  unroll 3 as k {
                    let r = L(s)
                    s = s + r
                  }
                  output s
                }
                """);
        NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
        assertFalse(r.problems().hasErrors(), () -> r.problems().all().toString());
        Network n = r.network();
        assertEquals(List.of("s[2]"), n.outputs());
        // a declared layer's node keeps the layer's name (with the step when tied), whatever let binds it
        assertEquals(List.of("s[1]", "L@2"), n.node("s[2]").inputs());
        assertEquals(List.of("s[1]"), n.node("L@2").inputs());
        assertEquals(3, n.weightUsers().get("L.weight").size(), "tied: one weight for all steps");
        assertEquals("x", n.node("L@0").inputs().get(0), "state initialised from the input");
    }

    @Test
    void supportSelectionResolvesItsScheduleAtEachStep() throws Exception {
        Model m = parser.parse("""
                network N {
                  input y: f32[10]
                  param theta[4]: f32[1] = 0.1
                  state x: f32[10] = y
                  unroll 4 as k {
                    x = ss(x, theta[k], p=10, pmax=25)
                  }
                  output x
                }
                """);
        NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
        assertFalse(r.problems().hasErrors(), () -> r.problems().all().toString());
        double[] expected = {10, 20, 25, 25}; // min(p (k + 1), pmax)
        for (int k = 0; k < 4; k++) {
            org.edgenn.ir.ops.SupportSelect op = (org.edgenn.ir.ops.SupportSelect) r.network().node("x[" + k + "]").op();
            assertEquals(expected[k], op.percent(), 1e-12, "step " + k);
            assertEquals((int) expected[k] / 10, op.count(10), "entries that bypass at step " + k);
        }
    }

    @Test
    void supportSelectionArgumentsAreChecked() throws Exception {
        for (String call : new String[] {"ss(y, t, p=120)", "ss(y, t)", "ss(y, t, p=5, pmax=10)", "ss(y, t, p=5, q=1)"}) {
            Model m = parser.parse("network N {\n input y: f32[10]\n param t: f32[1] = 0.1\n let x = " + call + "\n output x\n}");
            NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
            assertTrue(r.problems().hasErrors(), call + " must be an error");
        }
    }

    @Test
    void networkWithErrorsLowersToNull() throws Exception {
        Model m = parser.parse("network N {\n input x: f32[4]\n let y = dense(x, 5 -> 2)\n output y\n}");
        NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
        assertNull(r.network());
        assertTrue(r.problems().hasErrors());
    }

    @Test
    void unusedDeclarationsAreWarnings() throws Exception {
        Model m = parser.parse("network N {\n input x: f32[4]\n layer L = dense(4 -> 4)\n output x\n}");
        NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
        assertNotNull(r.network());
        assertEquals(1, r.problems().all().size());
        assertEquals(Problems.Severity.WARNING, r.problems().all().get(0).severity());
        assertEquals("L is never used", r.problems().all().get(0).message());
        assertEquals(Map.of(), r.network().weightUsers().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no weights for an unused layer");
    }

    @Test
    void matvecIsADenseLayerWithoutBias() throws Exception {
        Model m = parser.parse("network N {\n input x: f32[4]\n layer W = matvec(4 -> 3)\n"
                + " let y = W(x)\n let z = matvec(y, 3 -> 2, init=zeros)\n output z\n}");
        NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
        assertFalse(r.problems().hasErrors(), () -> r.problems().all().toString());
        Network n = r.network();
        assertEquals(new Dense(4, 3, false), n.node("W").op());
        assertEquals(new Dense(3, 2, false), n.node("z").op());
        assertEquals(Shape.of(2), n.node("z").shape());
        assertEquals(List.of("W.weight"), n.node("W").weights(), "a weight, no bias");
        assertEquals(1, n.node("z").weights().size());
    }

    @Test
    void matvecTakesNoBias() throws Exception {
        Model m = parser.parse("network N {\n input x: f32[4]\n let y = matvec(x, 4 -> 3, bias=true)\n output y\n}");
        NetworkLowering.Result r = lowering.lower((org.edgenn.dsl.edgeNN.Network) m.getElements().get(0));
        assertNull(r.network());
        assertTrue(r.problems().all().stream().anyMatch(p -> p.message().contains("bias")), () -> r.problems().all().toString());
    }
}
