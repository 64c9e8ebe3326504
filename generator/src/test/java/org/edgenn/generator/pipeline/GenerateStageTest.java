package org.edgenn.generator.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.generator.training.LoweredAccess;
import org.edgenn.ir.graph.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate stage's typed outcomes, and the manifest that finds stale files. */
class GenerateStageTest {
    @TempDir Path dir;

    @Test
    void plannedOutputsAreGeneratedTheRestIsATypedOutcomeWithTheReason() throws Exception {
        Program p = LoweredAccess.text(dir, "n.edgenn", """
                package demo

                network Soft {
                  input x: f32[16]
                  label t: f32[4]
                  let p = softmax(dense(x, 16 -> 4))
                  output p
                  loss mse(p, t)
                }

                network NoLoss {
                  input x: f32[16]
                  let y = dense(x, 16 -> 4)
                  output y
                }
                """);
        GenerateStage stage = new GenerateStage(new GenerateStage.Options(true, true));
        List<Outcome> soft = stage.run(new GenerateStage.Input(p, p.network("Soft").orElseThrow()));
        assertEquals(2, soft.size());
        Outcome.Unsupported int8 = assertInstanceOf(Outcome.Unsupported.class, soft.get(0));
        assertEquals(Outcome.INT8, int8.kind());
        assertTrue(int8.reason().contains("softmax has no int8 lowering"), int8.reason());
        Outcome.Generated trainer = assertInstanceOf(Outcome.Generated.class, soft.get(1));
        assertEquals(TrainBlock.generate(p, p.network("Soft").orElseThrow()).source(), trainer.source().source());

        List<Outcome> noLoss = stage.run(new GenerateStage.Input(p, p.network("NoLoss").orElseThrow()));
        Outcome.Generated inference = assertInstanceOf(Outcome.Generated.class, noLoss.get(0));
        assertEquals(InferenceGenerator.generate(p.network("NoLoss").orElseThrow()).source(), inference.source().source());
        assertInstanceOf(Outcome.Skipped.class, noLoss.get(1));

        assertEquals(List.of(), new GenerateStage(new GenerateStage.Options(false, false))
                .run(new GenerateStage.Input(p, p.network("Soft").orElseThrow())));
    }

    @Test
    void theManifestNamesWhatTheLastRunWroteAndNothingOutsideItsDirectory() throws Exception {
        Path out = dir.resolve("gen");
        Manifest first = Manifest.of(out, List.of(out.resolve("demo/AInt8.java"), out.resolve("demo/ATrainer.java")));
        first.write(out);
        Manifest read = Manifest.read(out);
        assertEquals(List.of("demo/AInt8.java", "demo/ATrainer.java"), read.files());
        Manifest now = Manifest.of(out, List.of(out.resolve("demo/AInt8.java")));
        assertEquals(List.of(out.resolve("demo/ATrainer.java")), read.stale(out, now));
        Files.writeString(out.resolve(Manifest.FILE), "../outside.txt\ndemo/AInt8.java\n");
        assertEquals(List.of(), Manifest.read(out).stale(out, now), "a path outside the directory is never stale");
        assertEquals(List.of(), Manifest.read(dir.resolve("none")).files());
    }
}
