package org.edgenn.runtime.dnnl;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.edgenn.runtime.kernels.ExactSums;

/**
 * One oneDNN int8 convolution, created once: u8 source NHWC (already padded by the caller, so the primitive itself
 * has no padding), s8 weights reordered once into the primitive's blocked layout, s32 destination NHWC. Computes
 * {@code acc = Σ x_u8·w} per output; the source and destination buffers are oneDNN memory allocated once, and a call
 * copies the source in and the accumulators out (two bulk JNI copies), so nothing is allocated per call.
 *
 * <p>Exactness: oneDNN's int8 kernels sum in int32 and convert the sum to float before writing an s32 destination
 * (that is where scales and bias would be applied); an int32 of magnitude ≤ 2^24 survives that conversion exactly.
 * {@link #exactBound} gives the largest magnitude any partial or final sum can reach for u8 inputs; the caller
 * creates a primitive only when it is ≤ 2^24.
 *
 * <p>Not thread-safe (one stream, one pair of buffers per instance).
 */
final class DnnlConvPrimitive {
    private final memory srcMem, wMem, dstMem;
    private final convolution_forward prim;
    private final stream strm;
    private final dnnl_stream cStream;
    private final IntMemoryMap args;
    private final BytePointer src;
    private final IntPointer dst;
    private final int srcBytes, dstInts;
    private final String impl;

    /**
     * @param hp padded input height (the caller's padding included), {@code wp} likewise
     * @param weightsOhwi [K][FY][FX][C/groups]
     * @throws IllegalStateException when oneDNN's implementation for this shape is not a VNNI int8 kernel
     */
    DnnlConvPrimitive(int n, int hp, int wp, int c, int k, int fy, int fx, int sy, int sx, int dy, int dx, int groups,
                      byte[] weightsOhwi) {
        org.bytedeco.dnnl.engine eng = DnnlRuntime.engine();
        int oh = (hp - dy * (fy - 1) - 1) / sy + 1, ow = (wp - dx * (fx - 1) - 1) / sx + 1;
        memory.desc srcMd = new memory.desc(new long[] {n, c, hp, wp}, memory.data_type.u8, memory.format_tag.nhwc);
        memory.desc dstMd = new memory.desc(new long[] {n, k, oh, ow}, memory.data_type.s32, memory.format_tag.nhwc);
        long[] wDims = groups == 1 ? new long[] {k, c, fy, fx} : new long[] {groups, k / groups, c / groups, fy, fx};
        memory.desc wAny = new memory.desc(wDims, memory.data_type.s8, memory.format_tag.any);
        convolution_forward.desc d = new convolution_forward.desc(dnnl.prop_kind.forward_inference, dnnl.algorithm.convolution_direct,
                srcMd, wAny, dstMd, new long[] {sy, sx}, new long[] {dy - 1, dx - 1}, new long[] {0, 0}, new long[] {0, 0});
        convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(d, eng);
        impl = pd.impl_info_str().getString();
        if (!(impl.contains("vnni") || impl.contains("amx"))) {
            throw new IllegalStateException("oneDNN chose " + impl + ", not a VNNI int8 kernel");
        }
        strm = new stream(eng);
        cStream = strm.get();

        memory.desc userWMd = new memory.desc(wDims, memory.data_type.s8, groups == 1 ? memory.format_tag.ohwi : memory.format_tag.gohwi);
        memory userW = new memory(userWMd, eng);
        new BytePointer(userW.get_data_handle()).capacity(weightsOhwi.length).put(weightsOhwi, 0, weightsOhwi.length);
        wMem = new memory(pd.weights_desc(), eng);
        new reorder(userW, wMem).execute(strm, userW, wMem);
        dnnl.dnnl_stream_wait(cStream);

        srcBytes = n * hp * wp * c;
        dstInts = n * oh * ow * k;
        srcMem = new memory(srcMd, eng);
        dstMem = new memory(dstMd, eng);
        src = new BytePointer(srcMem.get_data_handle()).capacity(srcBytes);
        dst = new IntPointer(dstMem.get_data_handle()).capacity(dstInts);
        prim = new convolution_forward(pd);
        args = new IntMemoryMap();
        args.put(DNNL_ARG_SRC, srcMem);
        args.put(DNNL_ARG_WEIGHTS, wMem);
        args.put(DNNL_ARG_DST, dstMem);
    }

    /** acc[0, dstInts) = Σ x_u8·w for the padded u8 image {@code srcU8[0, srcBytes)}. */
    void execute(byte[] srcU8, int[] acc) {
        src.put(srcU8, 0, srcBytes);
        prim.execute(strm, args);
        int rc = dnnl.dnnl_stream_wait(cStream);
        if (rc != dnnl.dnnl_success) throw new IllegalStateException("oneDNN stream wait failed: status " + rc);
        dst.get(acc, 0, dstInts);
    }

    /** oneDNN's name of the implementation it chose (e.g. {@code brg:avx512_core_vnni}). */
    String implementation() {
        return impl;
    }

    /**
     * The largest magnitude a sum of {@code x·w[k][i]} over any subset of taps can reach for x ∈ [0, 255], over all
     * output channels: max over k of 255·max(Σ positive w, Σ |negative w|).
     */
    static long exactBound(byte[] weights, int k) {
        int per = weights.length / k;
        long worst = 0;
        for (int o = 0; o < k; o++) worst = Math.max(worst, ExactSums.bound(weights, o * per, (o + 1) * per, 0, 255));
        return worst;
    }

    /** Largest integer magnitude that int32 → float32 → int32 conversion keeps exactly. */
    static final long FLOAT_EXACT = ExactSums.FLOAT_EXACT;
}
