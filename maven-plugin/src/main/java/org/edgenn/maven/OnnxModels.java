package org.edgenn.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.edgenn.generator.inference.UnsupportedInferenceException;
import org.edgenn.generator.pipeline.Manifest;
import org.edgenn.generator.pipeline.OnnxExportStage;
import org.edgenn.ir.graph.Network;
import org.edgenn.onnx.export.OnnxInt8Export;

/**
 * The plugin's {@code onnx} option: each network with a trained artifact exported as {@code <Network>.onnx}
 * ({@link OnnxExportStage}, the exporter of {@code edgenn export-onnx}), written only when its bytes change; models
 * of networks that are gone, or lost their artifact, are removed as other stale outputs are.
 */
final class OnnxModels {
    private final Path models;
    private final Path out;
    private final Log log;

    OnnxModels(Path models, Path out, Log log) {
        this.models = models;
        this.out = out;
        this.log = log;
    }

    void export(List<Network> networks, GeneratedFiles files) throws MojoExecutionException {
        try {
            Manifest before = Manifest.read(out);
            Path scratch = Files.createTempDirectory("edgenn-onnx");
            try {
                for (Network net : networks) {
                    export(net, files, scratch);
                }
            } finally {
                deleteTree(scratch);
            }
            files.removeStale(out, before);
        } catch (IOException e) {
            throw new MojoExecutionException("edgenn: cannot write ONNX models: " + e.getMessage(), e);
        }
    }

    private void export(Network net, GeneratedFiles files, Path scratch) throws MojoExecutionException, IOException {
        Path artifact = models.resolve(net.name() + ".safetensors");
        if (!Files.isRegularFile(artifact)) {
            log.warn("edgenn: no ONNX model for " + net.name() + ": no trained artifact " + artifact);
            return;
        }
        OnnxExportStage.Exported e;
        try {
            e = OnnxExportStage.export(net, artifact, new EclipseCompiler(), scratch.resolve(net.name()));
        } catch (UnsupportedInferenceException | OnnxInt8Export.UnsupportedLayerException u) {
            log.warn("edgenn: no ONNX model for " + net.name() + ": " + u.getMessage());
            return;
        } catch (IOException io) {
            // the artifact is there but is not this network's: a build that asked for the model must not pass
            throw new MojoExecutionException("edgenn: ONNX export of " + net.name() + ": " + io.getMessage(), io);
        }
        Path file = out.resolve(net.name() + ".onnx");
        files.binary(file, e.onnx());
        log.info("edgenn: " + net.name() + " as ONNX: " + file + " (" + e.layers() + " layers)");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
