package org.edgenn.generator.ops;

import org.edgenn.ir.Shape;

/**
 * What an op's traits may use to write the SameDiff statement of one node into a generated trainer
 * ({@link OpTraits#emitTraining}). The trainer generator implements it per node; the traits only choose the
 * {@code runtime/train} call ({@code Layers.dense}, {@code MoreOps.pixelShuffle}, ...) and its arguments.
 */
public interface TrainingEmission {
    /** {@code SDVariable <v> = }: the start of the node's statement. */
    String head();

    /** The node's SameDiff name as a Java string literal. */
    String name();

    /** The trailing {@code   // file:line node: kind -> shape} comment. */
    String comment();

    /** The IR name of the node. */
    String node();

    /** The node's output shape. */
    Shape shape();

    int inputCount();

    /** The Java variable consumers use for input {@code i} (its fake-quantized view when there is one). */
    String input(int i);

    /** The unquantized Java variable of input {@code i}. */
    String rawInput(int i);

    Shape inputShape(int i);

    /** True when input {@code i} is a value from outside ({@code Source}: a parameter, a zero state, ...). */
    boolean inputIsSource(int i);

    /** True when input {@code i} is a learnable threshold parameter (kept positive through softplus). */
    boolean learnableThreshold(int i);

    /** The value of input {@code i} when it is a constant written inline into the arithmetic ({@code x.mul(name, 0.5)}). */
    java.util.OptionalDouble inlineConstant(int i);

    /** The Java variable of the node's weight {@code i} (after pruning and fake quantization). */
    String weight(int i);

    /** True when emitting a frozen teacher network inside the student's graph. */
    boolean teacher();

    /** The network being emitted (for messages). */
    String network();

    /** The unquantized Java variable and element count of the network's first input (zero states are shaped after its batch). */
    String firstInput();

    long firstInputSize();

    /** Registers {@code biasVariable} as the node's bias (exported int32 against its input's and weight's scales). */
    void bias(String biasVariable);

    /** Writes one line of Java at the current indentation. */
    void line(String javaLine);
}
