package org.edgenn.dsl;

/** Source texts of train blocks shared by the lowering and diagnostics tests. */
public final class TrainTexts {
    private TrainTexts() {
    }

    /** A three-step LISTA L whose output is its unroll state, trained with the given {@code curriculum} item. */
    public static String unrolled(String curriculum) {
        return "network L {\n  input y: f32[8]\n  label t: f32[16]\n  layer We = dense(8 -> 16, bias=false)\n"
                + "  layer S[3] = dense(16 -> 16, bias=false)\n  param theta[3]: f32[1] = 0.1\n  let b = We(y)\n"
                + "  state x: f32[16] = 0\n  unroll 3 as k {\n    x = shrink(b + S[k](x), theta[k])\n  }\n  output x\n"
                + "  loss nmse(x, t)\n}\n"
                + "train L {\n  data synthetic_sparse(m=8, n=16) -> y, t\n  " + curriculum + "\n  epochs 2\n}\n";
    }
}
