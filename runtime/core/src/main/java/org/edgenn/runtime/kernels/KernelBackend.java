package org.edgenn.runtime.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel family once, when this class is loaded.
 *
 * <p>Pure Java: {@link Backend#VECTOR} when the {@code jdk.incubator.vector} module is in the boot layer (JVM flag
 * {@code --add-modules jdk.incubator.vector}) and the vector kernels load, otherwise the scalar reference. Native:
 * {@link Backend#NATIVE} is chosen automatically when the optional module {@code edgenn-runtime-native} is on the
 * class path and its factory constructs (its library loads, the CPU has the instructions that make it exact, and its
 * self-check against plain loops passes); it runs the MAC layers natively and everything else on the pure-Java
 * family. Each choice and each reason for falling back is logged once (INFO).
 *
 * <p>The system property {@code edgenn.backend=scalar|vector|native} overrides the choice: {@code scalar} and
 * {@code vector} never load native code; {@code native} when unavailable logs a warning with the reason and falls
 * back. Optional families are only ever loaded reflectively from here, so this library needs neither the incubator
 * module nor the native module.
 */
public final class KernelBackend {
    private static final Logger LOG = LoggerFactory.getLogger(KernelBackend.class);
    private static final String VECTOR_FACTORY = "org.edgenn.runtime.kernels.vector.VectorKernels";
    /** The optional native module's factory; public constructor taking the pure-Java {@link KernelFactory} to delegate to. */
    static final String NATIVE_FACTORY = "org.edgenn.runtime.dnnl.DnnlKernels";

    private static final KernelFactory SCALAR_FACTORY = new ScalarKernels();
    private static final KernelFactory VECTOR_OR_NULL;
    private static final String VECTOR_UNAVAILABLE_REASON;
    private static final KernelFactory NATIVE_OR_NULL;
    private static final String NATIVE_UNAVAILABLE_REASON;
    private static final Backend DEFAULT;

    static {
        KernelFactory vf = null;
        String reason = null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            reason = "module jdk.incubator.vector is not in the boot layer (run with --add-modules jdk.incubator.vector)";
        } else {
            try {
                vf = (KernelFactory) Class.forName(VECTOR_FACTORY).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                reason = "vector kernels failed to load: " + e;
            }
        }
        VECTOR_OR_NULL = vf;
        VECTOR_UNAVAILABLE_REASON = reason;
        String forced = System.getProperty("edgenn.backend", "").trim().toLowerCase(java.util.Locale.ROOT);
        KernelFactory nf = null;
        String nReason;
        if (forced.equals("scalar") || forced.equals("vector")) {
            nReason = "not loaded (-Dedgenn.backend=" + forced + ")";
        } else {
            Object[] loaded = loadNative(vf != null ? vf : SCALAR_FACTORY);
            nf = (KernelFactory) loaded[0];
            nReason = (String) loaded[1];
        }
        NATIVE_OR_NULL = nf;
        NATIVE_UNAVAILABLE_REASON = nReason;
        Backend chosen;
        if (forced.equals("scalar")) {
            chosen = Backend.SCALAR;
            LOG.info("EdgeNN kernels: scalar reference (forced by -Dedgenn.backend=scalar)");
        } else if (nf != null) {
            chosen = Backend.NATIVE;
            LOG.info("EdgeNN kernels: native MAC layers ({}), other ops on the {} family", nf, vf != null ? "Vector API" : "scalar");
        } else if (vf != null) {
            chosen = Backend.VECTOR;
            if (forced.equals("native")) LOG.warn("EdgeNN kernels: native family unavailable ({}); using the Vector API", nReason);
            LOG.info("EdgeNN kernels: Vector API ({}-bit preferred vectors)", ((VectorInfo) vf).preferredBits());
        } else {
            chosen = Backend.SCALAR;
            if (forced.equals("native")) LOG.warn("EdgeNN kernels: native family unavailable ({})", nReason);
            LOG.info("EdgeNN kernels: scalar fallback; {}", reason);
        }
        DEFAULT = chosen;
    }

    /** {factory or null, reason when null}. Never throws: a missing or failing native module means the Java families. */
    private static Object[] loadNative(KernelFactory fallback) {
        Class<?> c;
        try {
            c = Class.forName(NATIVE_FACTORY);
        } catch (ClassNotFoundException e) {
            return new Object[] {null, "module edgenn-runtime-native is not on the class path"};
        } catch (LinkageError e) {
            return new Object[] {null, "native module failed to link: " + e};
        }
        try {
            return new Object[] {c.getConstructor(KernelFactory.class).newInstance(fallback), null};
        } catch (java.lang.reflect.InvocationTargetException e) {
            return new Object[] {null, String.valueOf(e.getCause())};
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new Object[] {null, "native factory failed to load: " + e};
        }
    }

    private KernelBackend() {}

    /** The family chosen at class-load time. */
    public static Backend defaultBackend() {
        return DEFAULT;
    }

    public static boolean isAvailable(Backend b) {
        return switch (b) {
            case SCALAR -> true;
            case VECTOR -> VECTOR_OR_NULL != null;
            case NATIVE -> NATIVE_OR_NULL != null;
        };
    }

    /** Why {@code b} is unavailable, or null when it is available. */
    public static String unavailableReason(Backend b) {
        return switch (b) {
            case SCALAR -> null;
            case VECTOR -> VECTOR_OR_NULL != null ? null : VECTOR_UNAVAILABLE_REASON;
            case NATIVE -> NATIVE_OR_NULL != null ? null : NATIVE_UNAVAILABLE_REASON;
        };
    }

    /** The best pure-Java family available (what the native family delegates to). */
    public static Backend bestJavaBackend() {
        return VECTOR_OR_NULL != null ? Backend.VECTOR : Backend.SCALAR;
    }

    /** The factory of a family. @throws IllegalStateException when that family is unavailable */
    public static KernelFactory factory(Backend b) {
        if (b == Backend.SCALAR) return SCALAR_FACTORY;
        if (b == Backend.VECTOR) {
            if (VECTOR_OR_NULL == null) throw new IllegalStateException("Vector API kernels unavailable: " + VECTOR_UNAVAILABLE_REASON);
            return VECTOR_OR_NULL;
        }
        if (NATIVE_OR_NULL == null) throw new IllegalStateException("native kernels unavailable: " + NATIVE_UNAVAILABLE_REASON);
        return NATIVE_OR_NULL;
    }

    public static KernelFactory factory() {
        return factory(DEFAULT);
    }

    /** Implemented by the vector factory to report its shape without this class touching the incubator API. */
    public interface VectorInfo {
        int preferredBits();
    }
}
