package org.edgenn.runtime.kernels;

/** Kernel implementation family. Every family is bit-exact to {@link #SCALAR}, the reference. */
public enum Backend {
    /** Plain reference math: simple loops, no tricks. Always available. */
    SCALAR,
    /** jdk.incubator.vector kernels; only available when the JVM runs with {@code --add-modules jdk.incubator.vector}. */
    VECTOR
}
