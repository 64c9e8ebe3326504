package org.edgenn.generator.inference;

import org.edgenn.generator.inference.plan.InferencePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.JavaEmitter;
import org.edgenn.generator.inference.plan.InferencePlan.Bounds;
import org.edgenn.generator.inference.plan.InferencePlan.Quant;
import org.edgenn.generator.inference.plan.InferencePlan.Role;
import org.edgenn.generator.inference.plan.InferencePlan.Step;
import org.edgenn.generator.inference.plan.StepWriter;
import org.edgenn.generator.inference.plan.InferencePlan.Tensor;
import org.edgenn.generator.JavaNames;
import org.edgenn.ir.graph.Network;

/**
 * Generates the int8 inference class of a network: {@code <Network>Int8} in the network's package, implementing
 * {@code org.edgenn.runtime.net.Int8Network} on runtime-core's kernels only (no Xtext, EMF or ND4J). The class loads
 * the trainer's int8 artifact once, allocates one buffer per node for a fixed batch, prepares every layer, and runs
 * them straight-line in {@code run(byte[], byte[])}, which allocates nothing. Each statement carries the layer's IR
 * name and {@code file:line}. The lowering is {@link InferencePlanner}'s; see {@code docs/inference.md}.
 */
public final class InferenceGenerator extends JavaEmitter {
    /** Identifiers of the generated class itself, never used for layers. */
    private static final Set<String> OWN = Set.of("NETWORK", "MODE", "INPUT_SHAPE", "OUTPUT_SHAPE", "INPUT_SIZE", "OUTPUT_SIZE",
            "batch", "backend", "layers", "a", "in", "out", "x", "xs", "result", "inBytes", "outBytes", "inputQuant", "outputQuant",
            "load", "run", "infer", "name", "start", "n", "s", "r", "v", "artifact",
            // types the class refers to by simple name: a field of that name would obscure them
            "Dense", "Conv2d", "Conv2dSpec", "Add", "SoftThreshold", "Pool2d", "Lut", "Movement", "Activation", "FixedFilters",
            "LayerQuant", "Backend", "KernelBackend", "Int8Artifact", "Int8Io", "Int8Layer", "Int8Network", "QuantParams",
            "RequantMode", "Arrays", "List", "Path", "IOException", "Math", "System", "String", "Double", "Integer", "Object");

    private final InferencePlan plan;
    private final JavaNames names = new JavaNames("", OWN);
    private final Map<String, String> buffers = new LinkedHashMap<>();
    private final Map<Step, String> ops = new HashMap<>();
    private final Map<Quant, String> quants = new LinkedHashMap<>();

    private InferenceGenerator(InferencePlan plan) {
        this.plan = plan;
    }

    /** @throws UnsupportedInferenceException when a node has no int8 lowering */
    public static GeneratedInference generate(Network net) {
        return generate(InferencePlanner.plan(net));
    }

    public static GeneratedInference generate(InferencePlan plan) {
        InferenceGenerator g = new InferenceGenerator(plan);
        String cls = className(plan.network());
        g.emitClass(cls);
        return new GeneratedInference(plan.network(), plan.javaPackage(), cls, g.b.toString());
    }

    public static String className(String network) {
        return className(network, "Int8");
    }

    // ------------------------------------------------------------------ text helpers


    private static String str(String s) {
        return StepWriter.str(s);
    }

    private static String ints(int[] v) {
        return StepWriter.ints(v);
    }

    private static String num(double v) {
        return StepWriter.num(v);
    }

    private String buffer(String node) {
        return buffers.get(node);
    }

    private String comment(Step s) {
        return "// " + (s.source().isEmpty() ? "" : s.source() + " ") + s.node();
    }

    // ------------------------------------------------------------------ class

    private void emitClass(String cls) {
        for (Tensor t : plan.tensors()) {
            buffers.put(t.node(), names.of(t.node()));
        }
        for (Step s : plan.steps()) {
            ops.put(s, names.fresh(buffer(s.output()) + "_op"));
        }
        for (Tensor t : plan.tensors()) {
            quants.computeIfAbsent(t.quant(), q -> names.fresh(q.isObserved() ? "q_" + q.activation() : "q_fixed"));
        }
        Tensor in = plan.input();
        Tensor out = plan.output();
        if (!plan.javaPackage().isEmpty()) {
            line("package " + plan.javaPackage() + ";");
            line("");
        }
        for (String imp : List.of("java.io.IOException", "java.nio.file.Path", "java.util.Arrays", "java.util.List",
                "org.edgenn.runtime.artifact.Int8Artifact", "org.edgenn.runtime.kernels.*", "org.edgenn.runtime.net.Int8Io",
                "org.edgenn.runtime.net.Int8Layer", "org.edgenn.runtime.net.Int8Network", "org.edgenn.runtime.quant.QuantParams",
                "org.edgenn.runtime.quant.RequantMode")) {
            line("import " + imp + ";");
        }
        line("");
        line("/**");
        line(" * int8 inference of network {@code " + plan.network() + "}" + (plan.source().isEmpty() ? "" : " (" + plan.source() + ")")
                + ", generated by EdgeNN; regenerate rather than edit.");
        line(" *");
        line(" * <pre>{@code");
        line(" * " + cls + " net = " + cls + ".load(Path.of(\"out/" + plan.network() + ".safetensors\"));");
        line(" * float[] output = net.infer(input);   // f32" + java.util.Arrays.toString(in.shape())
                + " -> f32" + java.util.Arrays.toString(out.shape()));
        line(" * }</pre>");
        line(" *");
        line(" * <p>Input {@code " + in.node() + "}, output {@code " + out.node() + "}, in the {@code .edgenn} shapes (row-major, images");
        line(" * {@code [C, H, W]}); int8 buffers hold images as NHWC. Every buffer is allocated once, for {@link #batch()} samples,");
        line(" * when the network is loaded; {@link #run} allocates nothing. Layers keep their {@code .edgenn} names and lines;");
        line(" * {@link #layers()} exposes them for verification against the accelerator's hardware model.");
        line(" */");
        open("public final class " + cls + " implements Int8Network {");
        line("public static final String NETWORK = " + str(plan.network()) + ";");
        line("public static final int[] INPUT_SHAPE = " + ints(in.shape()) + ";");
        line("public static final int[] OUTPUT_SHAPE = " + ints(out.shape()) + ";");
        line("public static final int INPUT_SIZE = " + in.size() + ";");
        line("public static final int OUTPUT_SIZE = " + out.size() + ";");
        line("/** Requantization rounding (TFLite's default integer scheme), the hardware model's too. */");
        line("public static final RequantMode MODE = RequantMode.DOUBLE_ROUNDING;");
        line("");
        line("private final int batch;");
        line("private final QuantParams inputQuant, outputQuant;");
        line("/** Scratch of {@link #infer}: quantized inputs and outputs of one batch. */");
        line("private final byte[] inBytes, outBytes;");
        line("");
        line("// one buffer per node: batch x elements");
        for (Tensor t : plan.tensors()) {
            line("private final byte[] " + buffer(t.node()) + ";   // " + t.node() + " " + java.util.Arrays.toString(t.shape())
                    + (t.role() == Role.COMPUTED ? "" : " (" + t.role().name().toLowerCase(java.util.Locale.ROOT) + ")")
                    + (t.quant().bits() > 8 ? " int16, two bytes per value" : ""));
        }
        line("");
        line("// prepared layers");
        for (Step s : plan.steps()) {
            s.declare(writer);
        }
        line("private final List<Int8Layer> layers;");
        line("");
        emitFactories(cls);
        emitConstructor(cls);
        emitRun();
        emitInfer();
        emitAccessors();
        close("}");
    }

    private void emitFactories(String cls) {
        line("/** Loads the trainer's int8 artifact for one sample per run, on the kernels chosen at startup. */");
        open("public static " + cls + " load(Path artifact) throws IOException {");
        line("return load(artifact, 1);");
        close("}");
        line("");
        line("/** Loads the artifact with buffers for {@code batch} samples per run. */");
        open("public static " + cls + " load(Path artifact, int batch) throws IOException {");
        line("return load(artifact, batch, KernelBackend.defaultBackend());");
        close("}");
        line("");
        line("/** Loads the artifact for {@code batch} samples on the given kernel family (SCALAR is the reference). */");
        open("public static " + cls + " load(Path artifact, int batch, Backend backend) throws IOException {");
        open("try (Int8Artifact a = Int8Artifact.open(artifact)) {");
        line("return new " + cls + "(a, batch, backend);");
        close("}");
        close("}");
        line("");
    }

    private String q(String tensor) {
        return quants.get(plan.tensor(tensor).quant());
    }

    private void emitConstructor(String cls) {
        line("/** Prepares every layer from an open artifact; a missing or mis-shaped tensor is an ArtifactFormatException. */");
        open("public " + cls + "(Int8Artifact a, int batch, Backend backend) throws IOException {");
        line("if (batch < 1) throw new IllegalArgumentException(\"batch must be positive, got \" + batch);");
        line("this.batch = batch;");
        line("");
        line("// activation quantizations observed in training (scale, zero point)");
        for (Map.Entry<Quant, String> e : quants.entrySet()) {
            Quant qt = e.getKey();
            line("QuantParams " + e.getValue() + " = " + (qt.isObserved() ? "a.activation(" + str(qt.activation()) + ")"
                    : "new QuantParams(" + qt.scale() + "f, " + qt.zeroPoint() + ")") + ";");
        }
        line("inputQuant = " + q(plan.input().node()) + ";");
        line("outputQuant = " + q(plan.output().node()) + ";");
        line("inBytes = new byte[batch * INPUT_SIZE" + bytesTimes(plan.input()) + "];");
        line("outBytes = new byte[batch * OUTPUT_SIZE" + bytesTimes(plan.output()) + "];");
        line("");
        for (Tensor t : plan.tensors()) {
            line(buffer(t.node()) + " = new byte[batch * " + t.size() + bytesTimes(t) + "];");
            if (t.role() == Role.ZEROS) {
                line("Arrays.fill(" + buffer(t.node()) + ", (byte) " + q(t.node()) + ".zeroPoint());   // the state starts at 0");
            }
        }
        for (Step s : plan.steps()) {
            line("");
            s.prepare(writer);
        }
        line("");
        open("layers = List.of(");
        List<String> entries = new ArrayList<>();
        for (Step s : plan.steps()) {
            entries.add(s.layer(writer));
        }
        for (int i = 0; i < entries.size(); i++) {
            line(entries.get(i) + (i + 1 < entries.size() ? "," : ");"));
        }
        indent--;
        close("}");
        line("");
    }

    /** {@code " * 2"} for a 16-bit tensor's buffer (two bytes per value), else nothing. */
    private static String bytesTimes(Tensor t) {
        return t.quant().bytesPerValue() == 1 ? "" : " * " + t.quant().bytesPerValue();
    }

    /** The generator as the plan's steps see it while they write their part. */
    private final StepWriter writer = new StepWriter() {
        @Override
        public String op(Step s) {
            return ops.get(s);
        }

        @Override
        public String buffer(String tensor) {
            return InferenceGenerator.this.buffer(tensor);
        }

        @Override
        public String quant(String tensor) {
            return q(tensor);
        }

        @Override
        public Tensor tensor(String node) {
            return plan.tensor(node);
        }

        @Override
        public String fresh(String base) {
            return names.fresh(base);
        }

        @Override
        public void line(String javaLine) {
            InferenceGenerator.this.line(javaLine);
        }

        @Override
        public String clampArguments(Bounds b, String output, String folded) {
            if (b.isNone()) {
                return plan.tensor(output).quant().bits() > 8 ? "-32768, 32767" : "-128, 127";
            }
            String v = names.fresh(buffer(output) + "_clamp");
            line("int[] " + v + " = Activation.clampBounds(" + q(output) + ", " + num(b.lo()) + ", " + num(b.hi()) + ");   // "
                    + folded + ", in the output's int8 domain");
            return v + "[0], " + v + "[1]";
        }
    };

    private void emitRun() {
        boolean wideIo = plan.input().quant().bits() > 8 || plan.output().quant().bits() > 8;
        line("/** Runs batch() samples: {@code in} holds batch·INPUT_SIZE " + (plan.input().quant().bits() > 8 ? "int16 values (two bytes each)" : "int8 values")
                + " (NHWC images), {@code out} receives batch·OUTPUT_SIZE" + (wideIo ? (plan.output().quant().bits() > 8 ? " int16 values (two bytes each)" : " int8 values") : "") + ". */");
        line("@Override");
        open("public void run(byte[] in, byte[] out) {");
        String input = buffer(plan.input().node());
        String output = buffer(plan.output().node());
        open("if (in.length != " + input + ".length || out.length != " + output + ".length) {");
        line("throw new IllegalArgumentException(\"run takes \" + " + input + ".length + \" input and \" + " + output
                + ".length + \" output bytes (batch \" + batch + \"), got \" + in.length + \" and \" + out.length);");
        close("}");
        line("System.arraycopy(in, 0, " + input + ", 0, in.length);");
        for (Step s : plan.steps()) {
            String stmt = s.run(writer);
            line(pad(stmt) + comment(s));
        }
        line("System.arraycopy(" + output + ", 0, out, 0, out.length);");
        close("}");
        line("");
    }

    private static String pad(String stmt) {
        int width = 72;
        return stmt.length() >= width ? stmt + "   " : stmt + " ".repeat(width - stmt.length());
    }

    private void emitInfer() {
        line("/** One sample ({@code INPUT_SHAPE}, row-major): quantize, run, dequantize. */");
        open("public float[] infer(float[] x) {");
        line("float[] result = new float[OUTPUT_SIZE];");
        line("infer(x, result);");
        line("return result;");
        close("}");
        line("");
        line("/** One sample into {@code result} ({@code OUTPUT_SIZE} floats) without allocating; it runs in the batch's first slot. */");
        open("public void infer(float[] x, float[] result) {");
        line("if (x.length != INPUT_SIZE || result.length != OUTPUT_SIZE) throw new IllegalArgumentException(\"infer takes \" + INPUT_SIZE + \" inputs and \" + OUTPUT_SIZE + \" outputs, got \" + x.length + \" and \" + result.length);");
        line("Int8Io.quantize(x, 0, INPUT_SHAPE, inputQuant, inBytes, 0);");
        line("run(inBytes, outBytes);");
        line("Int8Io.dequantize(outBytes, 0, OUTPUT_SHAPE, outputQuant, result, 0);");
        close("}");
        line("");
        line("/** Many samples, run in chunks of batch(). */");
        open("public float[][] infer(float[][] xs) {");
        line("float[][] r = new float[xs.length][OUTPUT_SIZE];");
        open("for (int start = 0; start < xs.length; start += batch) {");
        line("int n = Math.min(batch, xs.length - start);");
        open("for (int s = 0; s < n; s++) {");
        line("if (xs[start + s].length != INPUT_SIZE) throw new IllegalArgumentException(\"sample \" + (start + s) + \" has \" + xs[start + s].length + \" values, needs \" + INPUT_SIZE);");
        line("Int8Io.quantize(xs[start + s], 0, INPUT_SHAPE, inputQuant, inBytes, s * INPUT_SIZE);");
        close("}");
        line("run(inBytes, outBytes);");
        line("for (int s = 0; s < n; s++) Int8Io.dequantize(outBytes, s * OUTPUT_SIZE, OUTPUT_SHAPE, outputQuant, r[start + s], 0);");
        close("}");
        line("return r;");
        close("}");
        line("");
    }

    private void emitAccessors() {
        line("@Override public String name() { return NETWORK; }");
        line("@Override public int batch() { return batch; }");
        line("@Override public int inputSize() { return INPUT_SIZE; }");
        line("@Override public int outputSize() { return OUTPUT_SIZE; }");
        line("@Override public QuantParams inputQuant() { return inputQuant; }");
        line("@Override public QuantParams outputQuant() { return outputQuant; }");
        line("@Override public List<Int8Layer> layers() { return layers; }");
    }
}
