package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.edgenn.onnx.imports.ImportedNetwork;
import org.edgenn.onnx.imports.OnnxGraph;
import org.edgenn.onnx.imports.OnnxImportException;
import org.edgenn.onnx.imports.OnnxImporter;
import org.edgenn.runtime.artifact.SafetensorsWriter;
import org.edgenn.runtime.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn import-onnx MODEL.onnx --out DIR}: an ONNX model (e.g. PyTorch's export) as {@code DIR/N.edgenn} and
 * its float weights as {@code DIR/N.safetensors}, so that it can be checked, mapped and compiled. A graph-only model
 * (no weight data) gives the network alone. Nodes outside the op set are all reported at once. Exit 0, or 2 on bad
 * input.
 */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
        description = "Turn an ONNX model into a .edgenn network plus a safetensors file of its weights.")
public final class ImportOnnxCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model (batch 1, NCHW, float)")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where N.edgenn and N.safetensors go")
    Path out;

    @Option(names = "--network", description = "the network's name (default: from the file name, e.g. resnet18 -> Resnet18)")
    String network;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = network != null ? network : networkName(model);
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            err.println("edgenn: error: --network " + name + " is not a name (letters, digits, _)");
            err.flush();
            return EdgeNN.USAGE;
        }
        ImportedNetwork imported;
        try {
            OnnxGraph graph = OnnxGraph.parse(Files.readAllBytes(model));
            imported = OnnxImporter.translate(graph, name, model.getFileName().toString());
        } catch (IOException e) {
            err.println(model + ": error: " + (Files.isDirectory(model) ? "cannot read or write: it is a directory" : EdgeNN.reason(e)));
            err.flush();
            return EdgeNN.USAGE;
        } catch (OnnxImportException e) {
            err.println("edgenn: error: " + model + ": " + e.getMessage());
            err.flush();
            return EdgeNN.USAGE;
        }
        Files.createDirectories(out);
        Path text = out.resolve(name + ".edgenn");
        AtomicFiles.write(text, imported.text());
        stdout.printf("wrote %s: network %s, %d layers with weights, from %d ONNX nodes%n", text, name, imported.layers(), imported.nodes());
        if (imported.weights().isEmpty()) {
            stdout.println("graph only: " + model.getFileName() + " holds no weight data (the network can be checked and mapped)");
        } else {
            SafetensorsWriter w = new SafetensorsWriter().metadata("source", model.getFileName().toString())
                    .metadata("layout", "conv OHWI, dense [OUT, IN], float32");
            for (Map.Entry<String, ImportedNetwork.Weight> e : imported.weights().entrySet()) {
                w.addFloat32(e.getKey(), e.getValue().shape(), e.getValue().values());
            }
            Path weights = out.resolve(name + ".safetensors");
            w.write(weights);
            stdout.printf("wrote %s: %d tensors%n", weights, imported.weights().size());
        }
        stdout.flush();
        return EdgeNN.OK;
    }

    /** {@code resnet18.onnx} → {@code Resnet18}, {@code tiny_cnn.onnx} → {@code TinyCnn}. */
    static String networkName(Path file) {
        String base = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        StringBuilder b = new StringBuilder();
        for (String part : base.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String s = b.toString();
        return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "Imported" + s : s;
    }
}
