package org.edgenn.ir;

/** Element types of tensors and operands. */
public enum ElementType {
    INT2(2), INT4(4), INT8(8), INT16(16), INT32(32), F16(16), F32(32);

    private final int bits;

    ElementType(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public boolean isInteger() {
        return this != F16 && this != F32;
    }

    /** The spelling of the language: {@code int8}, {@code f32}. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
