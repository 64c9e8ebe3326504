package org.edgenn.runtime.dnnl;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2_vnni;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core_vnni;

import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;

/**
 * The process-wide oneDNN state: the CPU engine, created once, and the checks that make the native family usable.
 *
 * <p>Why VNNI is required: oneDNN's u8·s8 kernels for CPUs without VNNI multiply with {@code vpmaddubsw}, whose
 * int16 pair sums saturate (255·127·2 > 2^15), so their int32 accumulators are not the exact sums the Java side must
 * requantize. With VNNI ({@code vpdpbusd}) the products are summed in int32 directly. The ISA check here is the
 * first gate; {@link DnnlConvPrimitive} also refuses a primitive whose implementation is not a VNNI one (oneDNN may
 * pick an older kernel for some shapes), and {@link DnnlKernels} runs a self-check against plain loops.
 */
final class DnnlRuntime {
    private DnnlRuntime() {}

    private static engine cpu;

    /** The CPU engine; the first call loads the native library. */
    static synchronized engine engine() {
        if (cpu == null) cpu = new engine(engine.kind.cpu, 0);
        return cpu;
    }

    /** Bits of oneDNN's ISA masks that mean "has VNNI" (the masks are cumulative: avx512_core_vnni ⊃ avx512_core). */
    static boolean hasVnni(int isa) {
        int vnni = (dnnl_cpu_isa_avx512_core_vnni & ~dnnl_cpu_isa_avx512_core) | (dnnl_cpu_isa_avx2_vnni & ~dnnl_cpu_isa_avx2);
        return (isa & vnni) != 0;
    }

    /** @throws IllegalStateException when this is not x86-64 or the CPU (as oneDNN sees it) has no VNNI */
    static String requireVnni() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new IllegalStateException("architecture " + arch + ": the exactness argument covers x86-64 VNNI kernels only");
        }
        int isa = dnnl.dnnl_get_effective_cpu_isa();
        String name = String.valueOf(dnnl.get_effective_cpu_isa());
        if (!hasVnni(isa)) {
            throw new IllegalStateException("oneDNN reports ISA " + name + " without VNNI: its u8*s8 kernels could saturate");
        }
        return name;
    }

    static String version() {
        dnnl_version_t v = dnnl.dnnl_version();
        return v.major() + "." + v.minor() + "." + v.patch();
    }
}
