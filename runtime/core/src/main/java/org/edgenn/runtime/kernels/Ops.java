package org.edgenn.runtime.kernels;

final class Ops {
    private Ops() {}

    static void checkRange(byte[] buf, int off, int n, String name) {
        if (buf == null) throw new IllegalArgumentException(name + " buffer is null");
        if (n < 0 || off < 0 || off > buf.length - n) {
            throw new IllegalArgumentException(name + ": range [" + off + ", " + off + "+" + n + ") outside buffer of " + buf.length + " bytes");
        }
    }

    static void checkLen(byte[] buf, long size, String name) {
        if (buf == null || buf.length != size) {
            throw new IllegalArgumentException(name + " buffer of " + (buf == null ? 0 : buf.length) + " bytes, needs " + size);
        }
    }

    /**
     * {@link #checkLen(byte[], long, String)} for the {@code index}-th of several buffers named {@code kind + " " + role}:
     * the name is built only on failure, since a per-call string concatenation allocates in every inference (C2 does
     * not remove it), which broke the allocation-free guarantee of the networks with a data-movement step.
     */
    static void checkLen(byte[] buf, long size, Object kind, String role, int index) {
        if (buf == null || buf.length != size) checkLen(buf, size, kind + " " + role + (index < 0 ? "" : " " + index));
    }
}
