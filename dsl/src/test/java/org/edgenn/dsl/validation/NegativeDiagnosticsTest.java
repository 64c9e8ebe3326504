package org.edgenn.dsl.validation;

import static org.edgenn.dsl.DiagnosticCase.among;
import static org.edgenn.dsl.DiagnosticCase.of;
import static org.edgenn.dsl.TrainTexts.unrolled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.DiagnosticCase;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of mistake a user makes in a .edgenn file gives an error with a useful message on
 * exactly the right text: the range marked ⟦so⟧ in each case.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class NegativeDiagnosticsTest {

    @Inject
    private ParseHelper<Model> parser;

    @Inject
    private ValidationTestHelper validator;

    /** A network with a vector input x, an image input img and a label t, around {@code body}. */
    private static String net(String body) {
        return "network N {\n  input x: f32[16]\n  input img: f32[1, 8, 8]\n  label t: f32[16]\n" + body
                + "\n  output y\n}\n";
    }

    private static String accel(String body) {
        return "accelerator T {\n" + body + "\n}\n";
    }

    private static final String TOO_LARGE = "1e999 is too large: numbers are at most 1.7976931348623157E308";

    private static final String GOOD_ACCEL_TAIL = "  memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B";

    static List<DiagnosticCase> cases() {
        return List.of(
            // ------------------------------------------------------------------ names and syntax
            of("unknown value", net("  let y = relu(⟦q⟧)"), "unknown layer, parameter or value 'q'"),
            among("file cut off after an arrow", "network N {\n  input x: f32[4]\n  layer d = dense(4 ->⟦⟧ ", "a whole number is missing here"),
            of("real number too large", net("  let y = relu(x) * ⟦1e400⟧"),
                    "1e400 is too large: numbers are at most 1.7976931348623157E308"),
            of("real number too small", net("  let y = clamp(x, min=-⟦2.5e-400⟧, max=1)"),
                    "2.5e-400 is too small: it would be read as 0 (numbers other than 0 are at least 4.9E-324)"),
            // one problem, one message: not also "sgd lr must be > 0, got 1e999" from the value read as 0
            of("learning rate too large", net("  let y = x") + "train N {\n  data synthetic_sparse() -> x, t\n"
                    + "  optimizer sgd(lr=⟦1e999⟧)\n  epochs 1\n}", TOO_LARGE),
            // the same, wherever a number is read: the range error alone, not also "must be positive" (clock, bandwidth)
            of("clock too large", accel("  mac int8 clock ⟦1e999⟧ MHz\n  axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL),
                    TOO_LARGE),
            of("bandwidth too large", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n  memory dram bandwidth ⟦1e999⟧ B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B"),
                    TOO_LARGE),
            of("access energy too large", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n  memory dram bandwidth 4 B/cycle holds W, I, O read ⟦1e999⟧ pJ/B write 80 pJ/B"),
                    TOO_LARGE),
            of("clamp bound too large", net("  let y = clamp(x, min=0, max=⟦1e999⟧)"),
                    TOO_LARGE),
            of("budget too large", net("  let y = x\n  compress { budget latency < ⟦1e999⟧ ms on T }") + accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL),
                    TOO_LARGE),
            of("threshold too large", net("  let y = shrink(x, ⟦1e999⟧)"),
                    TOO_LARGE),
            of("initializer argument too large", net("  let y = dense(x, 16 -> 16, init=normal(std=⟦1e999⟧))"),
                    TOO_LARGE),
            of("whole number too large", net("  input w: f32[⟦99999999999⟧]\n  let y = x"),
                    "99999999999 is too large: whole numbers are at most 2147483647"),
            of("unknown step variable", net("  layer S[4] = dense(16 -> 16)\n  state y: f32[16] = 0\n"
                    + "  unroll 4 as k { y = S[⟦j⟧](y) }"), "unknown step variable"),
            of("step variable outside its unroll", net("  layer S[4] = dense(16 -> 16)\n  state y: f32[16] = 0\n"
                    + "  unroll 4 as k { y = S[k](y) }\n  let z = S[⟦k⟧](x)"), "unknown step variable"),
            of("unknown accelerator", net("  let y = relu(x)\n  compress { budget latency < 1 ms on ⟦Nope⟧ }"),
                    "unknown accelerator (declare or import it) 'Nope'"),
            of("unknown trained network", "train ⟦Nope⟧ { epochs 1 }", "unknown network (declare or import it) 'Nope'"),
            of("unknown state", net("  let y = relu(x)\n  unroll 2 as k { ⟦w⟧ = relu(x) }"), "unknown state"),
            of("missing import", "import ⟦\"nowhere.edgenn\"⟧\n", "cannot find imported file 'nowhere.edgenn'"),
            among("dangling comma", net("  let y = relu(x, ⟦)⟧"), "no viable alternative at input ')'"),
            of("missing input type", "network N {\n  input x ⟦output⟧ x\n}", "mismatched input 'output' expecting ':'"),
            among("duplicate names", net("  let ⟦x⟧ = relu(img)\n  let y = relu(x)"), "'x' is declared twice"),
            among("duplicate networks", "network ⟦A⟧ { input x: f32[2] output x }\nnetwork A { input x: f32[2] output x }",
                    "'A' is declared twice"),
            of("no output", "network ⟦N⟧ {\n  input x: f32[4]\n}", "network N declares no output"),
            of("integer input", "network N {\n  input x: ⟦int8⟧[4]\n  output x\n}", "values are real-valued (f32 or f16)"),
            // ------------------------------------------------------------------ shapes
            of("dense features", net("  layer L = dense(8 -> 4)\n  let y = L(⟦x⟧)"), "dense expects 8 input features, got 16"),
            of("dense on an image", net("  let y = dense(⟦img⟧, 64 -> 16)"),
                    "dense expects a vector [64], got [1, 8, 8] (flatten it first)"),
            of("conv channels", net("  let c = conv2d(⟦img⟧, 3 -> 8, kernel=3)\n  let y = x"), "conv2d expects 3 input channels, got 1"),
            of("conv on a vector", net("  let c = conv2d(⟦x⟧, 1 -> 8, kernel=3)\n  let y = x"),
                    "conv2d expects a [C, H, W] input, got [16]"),
            of("window too large", net("  let p = maxpool(⟦img⟧, kernel=9)\n  let y = x"),
                    "window of 9 does not fit the padded input height 8"),
            of("element-wise shapes", net("  input v: f32[8]\n  let y = x + ⟦v⟧"), "shapes [16] and [8] do not match for '+'"),
            of("threshold shape", net("  param th: f32[3] = 0.1\n  let y = shrink(x, ⟦th⟧)"),
                    "shrink threshold must be a single value, per channel or per element of [16], got [3]"),
            of("concat shapes", net("  input a: f32[4, 4, 4]\n  let c = concat(img, ⟦a⟧)\n  let y = x"),
                    "concat inputs must agree except in the first dimension: [1, 8, 8] and [4, 4, 4]"),
            of("pixel shuffle channels", net("  let p = pixelshuffle(⟦img⟧, factor=2)\n  let y = x"),
                    "pixelshuffle by 2 needs channels divisible by 4, got 1"),
            of("reshape size", net("  let r = reshape(⟦x⟧, shape=(3, 3))\n  let y = x"),
                    "cannot reshape [16] (16 elements) to [3, 3] (9 elements)"),
            of("softmax of an image", net("  let s = softmax(⟦img⟧)\n  let y = x"), "softmax expects a vector, got [1, 8, 8]"),
            of("state update shape", net("  state y: f32[16] = 0\n  unroll 2 as k { y = ⟦dense(y, 16 -> 8)⟧ }"),
                    "state y is [16] but is assigned [8]"),
            of("state initial value shape", net("  state s: f32[8] = ⟦x⟧\n  let y = x"),
                    "state s is [8] but its initial value is [16]"),
            of("loss shapes", net("  label u: f32[8]\n  let y = x\n  loss mse(x, ⟦u⟧)"),
                    "mse compares tensors of equal shape, got [16] and [8]"),
            of("loss not scalar", net("  let y = x\n  loss ⟦x⟧"), "a loss must be a scalar, this is [16]"),
            of("tied layer on two shapes", net("  input v: f32[1, 8, 8]\n  layer C = conv2d(1 -> 2, kernel=3, padding=same)\n"
                    + "  let a = C(img)\n  input w: f32[2, 8, 8]\n  let b = C(⟦w⟧)\n  let y = x"), "conv2d expects 1 input channels, got 2"),
            // ------------------------------------------------------------------ op arguments
            of("too many inputs", net("  let y = ⟦relu⟧(x, x)"), "relu takes 1 input, got 2"),
            among("unknown attribute", net("  let c = conv2d(img, 1 -> 4, ⟦kernal⟧=3)\n  let y = x"),
                    "conv2d has no attribute 'kernal'; expected one of bias, dilation, groups, init, kernel, out, padding, stride"),
            of("duplicate attribute", net("  let c = conv2d(img, 1 -> 4, kernel=3, ⟦kernel⟧=5)\n  let y = x"), "'kernel' is given twice"),
            of("zero kernel", net("  let c = conv2d(img, 1 -> 4, kernel=⟦0⟧)\n  let y = x"),
                    "conv2d kernel must be a positive integer or a pair (y, x) of them"),
            of("missing kernel", net("  let p = ⟦maxpool⟧(img)\n  let y = x"), "maxpool needs kernel=N or =(Ny, Nx)"),
            of("bad padding", net("  let c = conv2d(img, 1 -> 4, kernel=3, padding=⟦full⟧)\n  let y = x"),
                    "must be a number, a pair (y, x), same or valid"),
            of("groups must divide", net("  input w: f32[4, 8, 8]\n  let c = ⟦conv2d⟧(w, 4 -> 6, kernel=1, groups=4)\n  let y = x"),
                    "groups=4 must divide the input channels 4 and output channels 6"),
            of("unknown initializer", net("  let y = dense(x, 16 -> 16, init=⟦magic⟧)"), "unknown initializer 'magic'; expected one of"),
            of("clamp bounds", net("  let y = ⟦clamp⟧(x, min=2, max=1)"), "clamp needs min <= max, got 2.0 > 1.0"),
            of("declared layer needs features", net("  layer L = ⟦dense⟧(out=4)\n  let y = L(x)"),
                    "declare the layer's features: dense(IN -> OUT, ...)"),
            of("declared layer without weights", net("  layer L = ⟦relu⟧()\n  let y = L(x)"),
                    "relu has no weights; use it directly instead of declaring a layer"),
            of("channels on pooling", net("  let p = maxpool(img, ⟦1 -> 1⟧, kernel=2)\n  let y = x"),
                    "maxpool takes no IN -> OUT channels here"),
            of("boolean attribute", net("  let y = dense(x, 16 -> 16, bias=⟦yes⟧)"), "dense bias must be true or false"),
            // ------------------------------------------------------------------ symbols and steps
            of("layer not applied", net("  layer L = dense(16 -> 16)\n  let y = ⟦L⟧ + x"), "layer L must be applied to an input: L(x)"),
            of("value applied", net("  let y = ⟦x⟧(x)"), "x is a value, not a layer; only layers are applied to arguments"),
            of("missing step index", net("  layer S[4] = dense(16 -> 16)\n  let y = ⟦S⟧(x)"), "S has 4 entries, one per step: write S[k]"),
            of("index on a tied layer", net("  layer L = dense(16 -> 16)\n  state y: f32[16] = 0\n  unroll 2 as k { y = L[⟦k⟧](y) }"),
                    "L is shared by all steps; declare it as L[N] for one per step"),
            of("constant index out of range", net("  layer S[4] = dense(16 -> 16)\n  let y = S[⟦7⟧](x)"),
                    "S[7] is out of range: S has entries 0 to 3"),
            of("fewer entries than steps", net("  layer S[4] = dense(16 -> 16)\n  state y: f32[16] = 0\n  unroll 8 as k { y = S[⟦k⟧](y) }"),
                    "S has 4 entries but unroll k runs 8 steps"),
            of("next step out of range", net("  layer S[4] = dense(16 -> 16)\n  state y: f32[16] = 0\n  unroll 4 as k { y = S[⟦k + 1⟧](y) }"),
                    "S[4] is out of range: S has entries 0 to 3"),
            of("used before defined", net("  let a = relu(⟦b⟧)\n  let b = relu(x)\n  let y = a"), "b is used before it is defined"),
            of("label outside a loss", net("  let y = ⟦t⟧ + x"), "label t exists only in training; use it in a loss"),
            of("loss outside a loss", net("  let y = ⟦l1⟧(x)"), "l1 is a loss; use it in a loss statement"),
            of("zero entries", net("  layer S[⟦0⟧] = dense(16 -> 16)\n  let y = x"), "a per-step layer or parameter has at least one entry"),
            // ------------------------------------------------------------------ compression and budgets
            of("prune nothing", net("  let y = x\n  compress { prune ⟦0⟧% unstructured }"), "prune between 1% and 99%, got 0%"),
            of("weights precision twice", net("  let y = x\n  compress { weights int8\n ⟦weights⟧ int4 }"),
                    "weights precision is given twice"),
            of("per-channel activations", net("  let y = x\n  compress { activations int8 ⟦per-channel⟧ }"),
                    "activations are quantized per tensor"),
            of("float quantization", net("  let y = x\n  compress { weights ⟦f32⟧ }"), "weights can be quantized to int2, int4, int8 or int16, not f32"),
            of("latency unit", "accelerator T { mac int8 clock 1 GHz axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL + " }\n"
                    + net("  let y = x\n  compress { budget latency < 1 ⟦kg⟧ on T }"),
                    "unknown unit 'kg' for latency; expected one of s, ms, us, ns"),
            of("latency budget without target", net("  let y = x\n  compress { budget ⟦latency⟧ < 1 ms }"),
                    "a latency budget needs a target accelerator: budget ... on NAME"),
            of("parameter budget", net("  let y = dense(x, 16 -> 16)\n  compress { budget params < ⟦100⟧ }"),
                    "params 272 > budget 100"),
            of("MAC budget", net("  let y = dense(x, 16 -> 16)\n  compress { budget params < 1k, macs < ⟦0.2k⟧ }"),
                    "macs 256 > budget 0.2k"),
            of("prune a fixed layer", net("  fixed layer G = dense(16 -> 16, init=identity)\n  let y = G(x)\n"
                    + "  compress { prune 50% unstructured on ⟦G⟧ }"), "layer G is fixed: it has no trained weights to prune"),
            // ------------------------------------------------------------------ accelerators
            of("no MAC", accel("  clock 1 GHz\n  axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL).replace("accelerator T", "accelerator ⟦T⟧"),
                    "accelerator T needs its MAC precision: mac int8 accumulator int32"),
            of("no clock", accel("  mac int8\n  axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL).replace("accelerator T", "accelerator ⟦T⟧"),
                    "accelerator T needs a clock: clock 400 MHz"),
            of("zero clock", accel("  mac int8 clock ⟦0 MHz⟧\n  axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL),
                    "the clock must be a positive frequency"),
            of("unknown loop dimension", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K, ⟦Q⟧\n" + GOOD_ACCEL_TAIL),
                    "unknown loop dimension 'Q'; expected one of N, G, K, C, OY, OX, FY, FX"),
            of("unknown operand", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n  memory rf size 8 B per pe holds W, ⟦X⟧ read 1 pJ/B\n"
                    + GOOD_ACCEL_TAIL), "unknown operand 'X'; expected W (weights), I (inputs) or O (outputs)"),
            of("inner memory without size", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n  memory ⟦gbuf⟧ holds W read 1 pJ/B\n"
                    + GOOD_ACCEL_TAIL), "memory gbuf needs a size; only the last level (the backing store) may be unbounded"),
            of("size unit", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n  memory rf size 64 ⟦pJ⟧ holds W read 1 pJ/B\n"
                    + GOOD_ACCEL_TAIL), "unknown unit 'pJ' for a memory size; expected one of B, KiB, MiB, GiB, KB, MB, bit"),
            of("narrow accumulator", accel("  mac int8 accumulator ⟦int8⟧ clock 1 GHz\n  axis r 4 unrolls K\n" + GOOD_ACCEL_TAIL),
                    "an accumulator of 8 bits cannot hold one product of two 8-bit operands"),
            of("backing store must hold all", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n"
                    + "  memory dram holds ⟦W⟧ read 80 pJ/B"), "the last memory level is the backing store and holds every operand"),
            of("energy unit", accel("  mac int8 clock 1 GHz\n  axis r 4 unrolls K\n  memory dram read 80 ⟦pJ⟧"),
                    "unknown unit 'pJ' for read energy; expected one of pJ/B, fJ/B, nJ/B, pJ/bit"),
            of("duplicate axis", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n  axis ⟦a⟧ 2 unrolls C\n" + GOOD_ACCEL_TAIL),
                    "axis a is declared twice"),
            of("shared along no axis", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n  axis b 2 unrolls C\n"
                    + "  memory rf size 8 B shared along a, ⟦c⟧ holds W read 1 pJ/B\n" + GOOD_ACCEL_TAIL),
                    "'c' is no axis of this accelerator's PE array"),
            of("write port without read port", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n"
                    + "  memory rf size 8 B write bandwidth ⟦4 B/cycle⟧ holds W read 1 pJ/B\n" + GOOD_ACCEL_TAIL),
                    "memory rf has a write bandwidth but no (read) bandwidth: bandwidth 64 B/cycle write bandwidth 32 B/cycle"),
            of("word of a fraction of a bit", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n"
                    + "  memory rf size 8 B holds W read 1 pJ/B word ⟦0.1 B⟧\n" + GOOD_ACCEL_TAIL),
                    "a word is a whole number of bits, at least 1 (word 3 B, word 12 bit)"),
            of("MAC energy unit", accel("  mac int8 energy 0.3 ⟦pJ/B⟧ clock 1 GHz\n  axis a 2 unrolls K\n" + GOOD_ACCEL_TAIL),
                    "for MAC energy"),
            of("memory budget of a footprint past a long (was negative: passed)", net("  input u: f32[2000000000]\n"
                    + "  layer B = dense(2000000000 -> 2000000000, bias=false)\n  let v = B(u)\n  let y = x\n"
                    + "  compress { budget memory < ⟦1 KiB⟧ }"), "> budget 1 KiB"),
            of("memory size of a fraction of a bit", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n"
                    + "  memory rf size ⟦2.5 bit⟧ per pe holds W read 1 pJ/B\n" + GOOD_ACCEL_TAIL),
                    "a memory size is a whole number of bits (2.5 bit is 2.5 bits)"),
            of("memory size under a bit", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n"
                    + "  memory rf size ⟦0.1 B⟧ per pe holds W read 1 pJ/B\n" + GOOD_ACCEL_TAIL),
                    "a memory holds at least one bit"),
            // ------------------------------------------------------------------ widths ZigZag allows, and those that cannot work
            of("MAC width past 32 bits", accel("  mac ⟦int33⟧ accumulator int32 clock 1 GHz\n  axis a 2 unrolls K\n" + GOOD_ACCEL_TAIL),
                    "a MAC operand of 33 bits cannot work: widths go from 1 to 32 bits"),
            of("MAC width of 0 bits", accel("  mac ⟦int0⟧ clock 1 GHz\n  axis a 2 unrolls K\n" + GOOD_ACCEL_TAIL),
                    "a MAC operand of 0 bits cannot work: widths go from 1 to 32 bits"),
            of("MAC width that is no width", accel("  mac ⟦uint8⟧ clock 1 GHz\n  axis a 2 unrolls K\n" + GOOD_ACCEL_TAIL),
                    "'uint8' is no width: a MAC operand is intN, N bits (int8, int12, int24)"),
            of("accumulator past 32 bits", accel("  mac int12 accumulator ⟦int40⟧ clock 1 GHz\n  axis a 2 unrolls K\n"
                    + GOOD_ACCEL_TAIL), "an accumulator of 40 bits cannot work: widths go from 2 to 32 bits"),
            of("12-bit operands, partial sums narrower than a product", accel("  mac int12 accumulator ⟦int16⟧ clock 1 GHz\n"
                    + "  axis a 2 unrolls K\n" + GOOD_ACCEL_TAIL), "an accumulator of 16 bits cannot hold one product of two 12-bit operands"),
            of("unknown overflow behaviour", accel("  mac int12 accumulator int24 ⟦clip⟧ clock 1 GHz\n  axis a 2 unrolls K\n"
                    + GOOD_ACCEL_TAIL), "'clip' is no overflow behaviour: an accumulator saturates (the default) or wraps: accumulator int24 wrap"),
            of("output register smaller than one partial sum", accel("  mac int12 accumulator int24 clock 1 GHz\n  axis a 2 unrolls K\n"
                    + "  memory oreg size ⟦2 B⟧ per pe holds O read 1 pJ/B\n" + GOOD_ACCEL_TAIL),
                    "memory oreg (2 B) holds O but cannot hold one 24-bit partial sum"),
            of("weight register smaller than one weight", "accelerator T {\n  mac int8 accumulator int24 clock 1 GHz\n"
                    + "  axis a 2 unrolls K\n  memory wreg size 4 bit per pe holds W read 1 pJ/B\n" + GOOD_ACCEL_TAIL + "\n}\n"
                    + net("  let y = dense(x, 16 -> 16)\n  compress { weights ⟦int8⟧\n budget latency < 1 ms on T }"),
                    "T's memory wreg (4 bit) holds W but not one int8 value: no mapping can use it (declare a wider memory or a narrower width)"),
            of("memory size past a long", accel("  mac int8 clock 1 GHz\n  axis a 2 unrolls K\n"
                    + "  memory gbuf size ⟦99999999999999999999 GiB⟧ holds W read 1 pJ/B\n" + GOOD_ACCEL_TAIL),
                    "a memory size is at most 1 PiB (1125899906842624 B); the backing store needs no size"),
            of("more PEs than an int", accel("  mac int8 clock 1 GHz\n  axis a 65536 unrolls K\n  axis b ⟦65536⟧ unrolls C\n"
                    + GOOD_ACCEL_TAIL), "the PE array has more than 2147483647 PEs with this axis"),
            // ------------------------------------------------------------------ training
            of("unknown data source", net("  let y = x") + "train N {\n  data ⟦mnist⟧() -> x, t\n  epochs 1\n}",
                    "unknown data source 'mnist'; expected one of fashion_mnist, idx, image_pairs, image_patches, synthetic_sparse"),
            of("binding count", net("  let y = x") + "train N {\n  data ⟦synthetic_sparse(m=16, n=16)⟧ -> x\n  epochs 1\n}",
                    "synthetic_sparse provides measurement y = A x and sparse code x: bind 2 names with -> (got 1)"),
            of("binding to a value", net("  let y = x") + "train N {\n  data synthetic_sparse() -> x, ⟦y⟧\n  epochs 1\n}",
                    "unknown input or label of the trained network 'y'"),
            of("unknown optimizer", net("  let y = x") + "train N {\n  data synthetic_sparse() -> x, t\n  optimizer ⟦adum⟧(lr=1e-3)\n  epochs 1\n}",
                    "unknown optimizer 'adum'; expected one of adam, adamw, rmsprop, sgd (did you mean adam?)"),
            of("missing epochs", net("  let y = x") + "train ⟦N⟧ {\n  data synthetic_sparse() -> x, t\n}",
                    "train N needs its number of epochs: epochs 10"),
            of("quantization after the end", net("  let y = x") + "train ⟦N⟧ {\n  data synthetic_sparse() -> x, t\n  epochs 4\n  qat from epoch 9\n}",
                    "qat starts or ends at epoch 9 but training runs epochs 0 to 3"),
            of("zero batch", net("  let y = x") + "train N {\n  data synthetic_sparse() -> x, t\n  epochs 2\n  batch ⟦0⟧\n}",
                    "batch must be at least 1"),
            of("unknown curriculum", unrolled("curriculum ⟦greedy⟧(epochs=2)"),
                    "unknown curriculum 'greedy'; expected one of layerwise, stagewise"),
            of("curriculum without epochs", unrolled("curriculum ⟦layerwise⟧()"),
                    "layerwise needs its epochs (epochs per stage): layerwise(epochs=required)"),
            of("curriculum without arguments", unrolled("curriculum ⟦layerwise⟧"), "layerwise needs its epochs (epochs per stage)"),
            of("curriculum with zero epochs", unrolled("curriculum layerwise(epochs=⟦0⟧)"), "layerwise epochs must be >= 1, got 0"),
            of("curriculum with fractional epochs", unrolled("curriculum layerwise(epochs=⟦1.5⟧)"),
                    "layerwise epochs must be a whole number, got 1.5"),
            of("curriculum argument given twice", unrolled("curriculum layerwise(epochs=2, ⟦epochs⟧=3)"), "'epochs' is given twice"),
            of("curriculum with an unknown argument", unrolled("curriculum layerwise(epochs=2, ⟦lr⟧=1e-3)"),
                    "layerwise has no argument 'lr' (arguments: epochs)"),
            among("curriculum with a positional argument", unrolled("curriculum layerwise(⟦2⟧)"),
                    "layerwise takes named arguments only: layerwise(epochs=required)"),
            among("curriculum given twice", unrolled("curriculum layerwise(epochs=2)\n  ⟦curriculum layerwise(epochs=3)⟧"),
                    "this training setting is given twice"),
            of("stagewise with a misspelt argument", unrolled("curriculum stagewise(⟦stepz⟧=10)"),
                    "stagewise has no argument 'stepz'; did you mean steps? (arguments: steps, eval, better_wait, scalar_lr)"),
            of("stagewise with a negative patience", unrolled("curriculum stagewise(better_wait=⟦-1⟧)"), "stagewise better_wait must be >= 0, got -1"),
            of("zero epochs without a curriculum", unrolled("").replace("epochs 2", "epochs ⟦0⟧"),
                    "epochs must be at least 1 (0 only after a curriculum, which then does all the training)"),
            of("a dictionary initializer without synthetic data", unrolled("").replace("dense(8 -> 16, bias=false)",
                            "dense(8 -> 16, bias=false, init=dictionary_t)").replace("synthetic_sparse(m=8, n=16)", "⟦image_pairs(dir=\"d\")⟧"),
                    "layer We (line 4) has init=dictionary_t, which reads the dictionary A of synthetic_sparse data; data image_pairs has no A"),
            of("curriculum without an unroll block", net("  let y = relu(x)") + "train N {\n  data synthetic_sparse(m=16, n=16) -> x, t\n"
                    + "  curriculum ⟦layerwise(epochs=1)⟧\n  epochs 1\n}", "the output of network N must be a state assigned in an unroll block"),
            of("curriculum on a network whose loss ignores its output", unrolled("curriculum ⟦layerwise(epochs=1)⟧")
                    .replace("  loss nmse(x, t)\n", "  loss nmse(b, t)\n"), "the loss of network L does not use its output"),
            of("curriculum on an output computed after the unroll", unrolled("curriculum ⟦layerwise(epochs=1)⟧")
                    .replace("  output x\n", "  let z = relu(x)\n  output z\n"), "must be a state assigned in an unroll block"),
            // ------------------------------------------------------------------ teachers
            among("teacher cycle", "network A {\n  input x: f32[4]\n  teacher b = ⟦B⟧\n  output x\n}\n"
                    + "network B {\n  input x: f32[4]\n  teacher a = A\n  output x\n}", "has errors or depends on this network"),
            of("teacher inputs", "network Big {\n  input z: f32[4]\n  let y = relu(z)\n  output y\n}\n"
                    + "network Small {\n  input x: f32[4]\n  teacher b = ⟦Big⟧\n  output x\n}",
                    "teacher Big reads input z: [4], which this network does not declare before it"));
    }

    @org.junit.jupiter.api.Test
    void aStagewiseRecipeWithNoJointEpochsIsValid() throws Exception {
        Model model = parser.parse(unrolled("curriculum stagewise(steps=300, eval=25, better_wait=100)").replace("epochs 2", "epochs 0"));
        List<Issue> errors = validator.validate(model).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @org.junit.jupiter.api.Test
    void aLayerwiseCurriculumOnAnUnrolledNetworkIsValid() throws Exception {
        Model model = parser.parse(unrolled("curriculum layerwise(epochs=2)"));
        List<Issue> errors = validator.validate(model).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyMistakeHasAPreciseDiagnostic() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(DiagnosticCase c) throws Exception {
        Model model = parser.parse(c.text());
        List<Issue> errors = validator.validate(model).stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
        assertFalse(errors.isEmpty(), c.name() + ": no error at all");
        List<Issue> atRange = errors.stream()
                .filter(i -> i.getOffset() == c.offset() && i.getLength() == c.length()).toList();
        if (atRange.stream().noneMatch(i -> i.getMessage().contains(c.message()))) {
            fail(c.name() + ": expected an error '" + c.message() + "' on «" + c.text().substring(c.offset(),
                    c.offset() + c.length()) + "» at offset " + c.offset() + ", got:\n" + describe(errors, c.text()));
        }
        if (c.alone()) {
            assertEquals(1, errors.size(), c.name() + ": expected only that error, got:\n" + describe(errors, c.text()));
        }
    }

    private static String describe(List<Issue> issues, String text) {
        StringBuilder b = new StringBuilder();
        for (Issue i : issues) {
            int end = Math.min(text.length(), i.getOffset() + i.getLength());
            b.append("  ").append(i.getLineNumber()).append(':').append(i.getColumn()).append(" «")
                    .append(text, Math.max(0, i.getOffset()), Math.max(0, end)).append("» ").append(i.getMessage()).append('\n');
        }
        return b.toString();
    }
}
