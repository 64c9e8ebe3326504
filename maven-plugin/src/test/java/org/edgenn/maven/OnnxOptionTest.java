package org.edgenn.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.edgenn.generator.inference.Compiled;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.SyntheticArtifact;
import org.edgenn.ir.graph.Network;
import org.edgenn.onnx.export.Nchw;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's {@code onnx} option on a project with a trained artifact (random weights written as {@code edgenn
 * train} writes them): ONNX Runtime runs the model the build wrote within one unit (1 LSB) of the generated int8
 * class, compiled independently here and run on the scalar kernels; networks without an artifact are a warning, an
 * artifact of another network fails the build.
 */
class OnnxOptionTest {

    private static final String CNN = """
            package demo

            network Tiny {
              input x: f32[1, 8, 8]
              label t: f32[4]
              let c = relu(conv2d(x, 1 -> 4, kernel=3, padding=1))
              let p = maxpool(c, kernel=2)
              let y = dense(flatten(p), 64 -> 4)
              output y
              loss cross_entropy(y, t)
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            """;

    private static final String MLP = """
            package demo

            network Other {
              input x: f32[16]
              label t: f32[4]
              let y = dense(relu(dense(x, 16 -> 8)), 8 -> 4)
              output y
              loss mse(y, t)
              compress {
                weights int8 per-channel
                activations int8
              }
            }
            """;

    @TempDir
    Path project;

    private RecordingLog log;

    private GenerateMojo mojo() {
        GenerateMojo m = new GenerateMojo();
        m.sourceDirectory = project.resolve("src/main/edgenn").toFile();
        m.outputDirectory = project.resolve("target/generated-sources/edgenn").toFile();
        m.mappingDirectory = project.resolve("target/edgenn/mapping").toFile();
        m.inference = true;
        m.trainers = false;
        m.mappingTables = false;
        m.onnx = true;
        m.modelDirectory = project.resolve("src/main/models").toFile();
        m.onnxDirectory = project.resolve("target/edgenn/onnx").toFile();
        m.project = new MavenProject();
        log = new RecordingLog();
        m.setLog(log);
        return m;
    }

    private Network network(String name) {
        CheckedSources s = CheckedSources.check(project.resolve("src/main/edgenn"), List.of("**/*.edgenn"));
        assertEquals(List.of(), s.errors());
        return s.networks().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theBuildWritesTheModelOnnxRuntimeRunsWithinOneUnitOfTheGeneratedCode() throws Exception {
        Files.createDirectories(project.resolve("src/main/edgenn"));
        Files.writeString(project.resolve("src/main/edgenn/tiny.edgenn"), CNN);
        Files.writeString(project.resolve("src/main/edgenn/other.edgenn"), MLP);
        Network ir = network("Tiny");
        Path artifact = project.resolve("src/main/models/Tiny.safetensors");
        Files.createDirectories(artifact.getParent());
        SyntheticArtifact.write(ir, artifact, 3);

        mojo().execute();

        Path onnx = project.resolve("target/edgenn/onnx/Tiny.onnx");
        assertTrue(Files.isRegularFile(onnx), log.infos.toString());
        assertFalse(Files.exists(project.resolve("target/edgenn/onnx/Other.onnx")));
        assertTrue(log.warnings.contains("edgenn: no ONNX model for Other: no trained artifact "
                + project.resolve("src/main/models/Other.safetensors")), log.warnings.toString());

        Compiled compiled = Compiled.of(InferenceGenerator.generate(ir));
        Int8Network net = compiled.load(artifact, 1, Backend.SCALAR);
        int[] shape = (int[]) compiled.type().getField("INPUT_SHAPE").get(null);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Random random = new Random(9);
        try (OrtSession session = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions())) {
            for (int sample = 0; sample < 8; sample++) {
                byte[] in = new byte[net.inputSize()];
                random.nextBytes(in);
                byte[] ours = new byte[net.outputSize()];
                net.run(in, ours);
                try (OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(Nchw.toU8(Nchw.fromNhwc(in, shape))),
                        Nchw.shape(shape), OnnxJavaType.UINT8);
                     OrtSession.Result r = session.run(Map.of("input", t))) {
                    ByteBuffer b = ((OnnxTensor) r.get("output").orElseThrow()).getByteBuffer();
                    byte[] u8 = new byte[b.remaining()];
                    b.get(u8);
                    byte[] theirs = Nchw.toS8(u8);
                    assertEquals(ours.length, theirs.length);
                    for (int i = 0; i < ours.length; i++) {
                        assertTrue(Math.abs(ours[i] - theirs[i]) <= 1,
                                "sample " + sample + " [" + i + "]: generated " + ours[i] + ", ONNX Runtime " + theirs[i]);
                    }
                }
            }
        }

        // a second build leaves the model as it is; without the artifact the model is removed as stale
        byte[] first = Files.readAllBytes(onnx);
        mojo().execute();
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(onnx)));
        Files.delete(artifact);
        mojo().execute();
        assertFalse(Files.exists(onnx), "stale model kept");
    }

    @Test
    void anArtifactOfAnotherNetworkFailsTheBuild() throws Exception {
        Files.createDirectories(project.resolve("src/main/edgenn"));
        Files.writeString(project.resolve("src/main/edgenn/tiny.edgenn"), CNN);
        Files.writeString(project.resolve("src/main/edgenn/other.edgenn"), MLP);
        Path wrong = project.resolve("src/main/models/Tiny.safetensors");
        Files.createDirectories(wrong.getParent());
        SyntheticArtifact.write(network("Other"), wrong, 3);

        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> mojo().execute());

        assertTrue(e.getMessage().startsWith("edgenn: ONNX export of Tiny: cannot load " + wrong + ": "), e.getMessage());
        assertFalse(Files.exists(project.resolve("target/edgenn/onnx/Tiny.onnx")));
    }
}
