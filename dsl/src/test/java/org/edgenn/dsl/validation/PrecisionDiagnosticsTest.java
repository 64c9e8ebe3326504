package org.edgenn.dsl.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import java.util.List;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.DiagnosticCase;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.edgenn.ir.ElementType;
import org.edgenn.ir.spec.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declared bit widths: mixed-precision overrides lower to what every stage asks ({@link Compression#weightsOf},
 * {@link Compression#activationsOf}), and every bad declaration is an error with its issue code on exactly the
 * marked text.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class PrecisionDiagnosticsTest {
    @Inject
    private ParseHelper<Model> parser;
    @Inject
    private ValidationTestHelper validator;
    @Inject
    private ProgramLowering lowering;

    private static final String ACCEL = "accelerator T { mac int8 accumulator int32 clock 1 GHz axis r 4 unrolls K\n"
            + "  memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B }\n";

    /** A LISTA-like network: a large tied layer We, per-step S[k], a state x, and {@code compress}. */
    private static String lista(String compress) {
        return "network N {\n  input y: f32[16]\n  layer We = dense(16 -> 32, bias=false)\n"
                + "  layer S[2] = dense(32 -> 32, bias=false)\n  param theta[2]: f32[1] = 0.1\n  let b = We(y)\n"
                + "  state x: f32[32] = 0\n  unroll 2 as k {\n    let v = b + S[k](x)\n    x = shrink(v, theta[k])\n  }\n"
                + "  let logits = relu(dense(x, 32 -> 4))\n  output logits\n  compress {\n" + compress + "\n  }\n}\n";
    }

    @Test
    void overridesLowerPerLayerAndPerTensor() throws Exception {
        Model m = parser.parse(lista("    weights int8 per-channel\n    activations int8\n    weights int4 on We, S\n"
                + "    weights int2 per-tensor on logits\n    activations int16 on x, v"));
        validator.assertNoErrors(m);
        var net = lowering.lower((Network) m.getElements().get(0)).network();
        Compression c = net.compression();
        for (var w : net.weights()) {
            if (!w.role().equals("weight") || w.layer().equals("theta")) {
                continue; // biases are int32, learned thresholds float
            }
            ElementType expected = w.layer().startsWith("We") || w.layer().startsWith("S") ? ElementType.INT4
                    : ElementType.INT2;
            assertEquals(expected, c.weightsOf(w.layer()).precision(), w.name());
        }
        assertEquals(ElementType.INT2, c.weightsOf("logits.dense").precision());
        assertTrue(!c.weightsOf("logits.dense").perChannel());
        // the state at every step and the let of the body are 16-bit; the rest keeps the default
        assertEquals(ElementType.INT16, c.activationsOf("x[0]").precision());
        assertEquals(ElementType.INT16, c.activationsOf("x[1]").precision());
        assertEquals(ElementType.INT16, c.activationsOf("v[1]").precision());
        assertEquals(ElementType.INT8, c.activationsOf("b").precision());
        assertEquals(ElementType.INT8, c.activationsOf("xx").precision());
        assertEquals(16, c.widestActivationBits());
    }

    @Test
    void unknownWidthIsAnErrorOnTheWord() throws Exception {
        expect(lista("    weights ⟦int3⟧"), IssueCodes.BAD_PRECISION,
                "'int3' is no width EdgeNN quantizes to: weights are int2, int4, int8 or int16");
        expect(lista("    activations int8\n    activations ⟦int12⟧ on x"), IssueCodes.BAD_PRECISION,
                "'int12' is no width EdgeNN quantizes to: activations are int2, int4, int8 or int16");
        expect(lista("    activations ⟦int32⟧"), IssueCodes.BAD_PRECISION,
                "activations can be quantized to int2, int4, int8 or int16, not int32");
    }

    @Test
    void overrideNamingNoLayerIsAnError() throws Exception {
        expect(lista("    weights int8\n    weights int4 on ⟦Wx⟧"), EdgeNNLinkingMessages.UNRESOLVED,
                "unknown layer or value of this network (a precision override names a layer, let or state) 'Wx'");
        expect(lista("    weights int8\n    weights int4 on We, ⟦x⟧"), IssueCodes.BAD_QUANT_TARGET,
                "'x' has no weights: weights ... on names a layer (or a let computing one)");
        expect(lista("    activations int8\n    activations int16 on ⟦theta⟧"), IssueCodes.BAD_QUANT_TARGET,
                "'theta' is no computed value");
        expect(lista("    weights int8\n    weights int4 on ⟦theta⟧"), IssueCodes.BAD_QUANT_TARGET, "'theta' has no weights");
        expect(lista("    weights int8\n    ⟦activations⟧ int16 on x"), IssueCodes.BAD_QUANT_TARGET,
                "an override needs the network's activations width first (e.g. activations int8)");
    }

    @Test
    void widthTheTargetCannotExecuteIsAnError() throws Exception {
        expect(ACCEL + lista("    weights int4\n    activations int8\n    activations ⟦int16⟧ on x\n    budget latency < 1 ms on T"),
                IssueCodes.UNSUPPORTED_PRECISION,
                "int16 is wider than the 8-bit MAC operands of T: it cannot execute it (declare mac int16 there, or use a narrower width)");
        // the same declarations on a 16-bit MAC are fine
        Model ok = parser.parse(ACCEL.replace("mac int8", "mac int16")
                + lista("    weights int4\n    activations int8\n    activations int16 on x\n    budget latency < 1 ms on T"));
        validator.assertNoErrors(ok);
    }

    private void expect(String marked, String code, String message) throws Exception {
        DiagnosticCase c = DiagnosticCase.of(code, marked, message);
        Model m = parser.parse(c.text());
        List<Issue> errors = validator.validate(m).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertEquals(1, errors.size(), "expected one error, got " + errors);
        Issue e = errors.get(0);
        assertEquals(code, e.getCode(), e.toString());
        assertEquals(c.offset(), e.getOffset(), e.toString());
        assertEquals(c.length(), e.getLength(), e.toString());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
