package org.edgenn.runtime.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel family once, when this class is loaded.
 *
 * <p>{@link Backend#VECTOR} is selected when the {@code jdk.incubator.vector} module is in the
 * boot layer (JVM flag {@code --add-modules jdk.incubator.vector}) and the vector kernels load;
 * otherwise the scalar reference is used and this is logged once (INFO). The system property
 * {@code edgenn.backend=scalar|vector} overrides the choice ({@code vector} fails loudly if the
 * module is missing). The vector classes live in {@code org.edgenn.runtime.kernels.vector} and
 * are only ever loaded reflectively from here, so the library runs on a JVM without the module.
 */
public final class KernelBackend {
    private static final Logger LOG = LoggerFactory.getLogger(KernelBackend.class);
    private static final String VECTOR_FACTORY = "org.edgenn.runtime.kernels.vector.VectorKernels";

    private static final KernelFactory SCALAR_FACTORY = new ScalarKernels();
    private static final KernelFactory VECTOR_OR_NULL;
    private static final String VECTOR_UNAVAILABLE_REASON;
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
        String forced = System.getProperty("edgenn.backend", "").trim();
        Backend chosen;
        if (forced.equalsIgnoreCase("scalar")) {
            chosen = Backend.SCALAR;
            LOG.info("EdgeNN kernels: scalar reference (forced by -Dedgenn.backend=scalar)");
        } else if (vf != null) {
            chosen = Backend.VECTOR;
            LOG.info("EdgeNN kernels: Vector API ({}-bit preferred vectors)", ((VectorInfo) vf).preferredBits());
        } else {
            chosen = Backend.SCALAR;
            LOG.info("EdgeNN kernels: scalar fallback; {}", reason);
        }
        DEFAULT = chosen;
    }

    private KernelBackend() {}

    /** The family chosen at class-load time. */
    public static Backend defaultBackend() {
        return DEFAULT;
    }

    public static boolean isAvailable(Backend b) {
        return b == Backend.SCALAR || VECTOR_OR_NULL != null;
    }

    /** The factory of a family. @throws IllegalStateException when the vector family is unavailable */
    public static KernelFactory factory(Backend b) {
        if (b == Backend.SCALAR) return SCALAR_FACTORY;
        if (VECTOR_OR_NULL == null) throw new IllegalStateException("Vector API kernels unavailable: " + VECTOR_UNAVAILABLE_REASON);
        return VECTOR_OR_NULL;
    }

    public static KernelFactory factory() {
        return factory(DEFAULT);
    }

    /** Implemented by the vector factory to report its shape without this class touching the incubator API. */
    public interface VectorInfo {
        int preferredBits();
    }
}
