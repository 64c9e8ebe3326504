package org.edgenn.runtime.kernels;

/** Kernel implementation family. Every family is bit-exact to {@link #SCALAR}, the reference. */
public enum Backend {
    /** Plain reference math: simple loops, no tricks. Always available. */
    SCALAR,
    /** jdk.incubator.vector kernels; only available when the JVM runs with {@code --add-modules jdk.incubator.vector}. */
    VECTOR,
    /**
     * The optional native family (module {@code edgenn-runtime-native}, oneDNN): int32 accumulators of the
     * convolution/dense layers computed by a native int8 library, requantized exactly in Java; every other op
     * (and any layer the native library cannot compute exactly) runs on the best pure-Java family. Only
     * available when that module is on the class path and its library loads and passes its self-check.
     */
    NATIVE
}
