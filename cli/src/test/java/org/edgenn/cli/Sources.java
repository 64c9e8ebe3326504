package org.edgenn.cli;

/**
 * The small {@code .edgenn} pieces the command tests share, so that a change to the language touches one place:
 * a 4×4 accelerator whose MAC width, name and extras vary per test, and a 3-step LISTA small enough for every
 * training test.
 */
final class Sources {
    private Sources() {}

    /** A 4×4 array with a 64 B register file per PE, a 16 KiB buffer and DRAM; {@code extra} lines go last. */
    static String accelerator(String name, String mac, String... extra) {
        StringBuilder b = new StringBuilder("accelerator " + name + " {\n")
                .append("  mac ").append(mac).append('\n')
                .append("""
                          clock 400 MHz
                          axis rows 4 unrolls K
                          axis cols 4 unrolls C
                          memory rf   size 64 B per pe holds W, I, O read 0.03 pJ/B write 0.03 pJ/B
                          memory gbuf size 16 KiB bandwidth 16 B/cycle holds W, I, O read 1.5 pJ/B write 1.8 pJ/B
                          memory dram bandwidth 4 B/cycle holds W, I, O read 80 pJ/B write 80 pJ/B
                        """);
        for (String line : extra) b.append("  ").append(line).append('\n');
        return b.append("}\n").toString();
    }

    /** The usual small target: 8-bit MACs with 32-bit accumulators. */
    static String small() {
        return accelerator("Small", "int8 accumulator int32");
    }

    /** LISTA with 3 unrolled steps (y: 16, x: 32) and the given {@code compress} block contents. */
    static String tinyLista(String name, String compress) {
        return "network " + name + " {\n" + """
                  input y: f32[16]
                  label x_true: f32[32]
                  layer We = dense(16 -> 32, bias=false, init=dictionary_t)
                  layer S[3] = dense(32 -> 32, bias=false, init=ista_s)
                  param theta[3]: f32[1] = 0.1
                  let b = We(y)
                  state x: f32[32] = 0
                  unroll 3 as k {
                    x = shrink(b + S[k](x), theta[k])
                  }
                  output x
                  loss nmse(x, x_true)
                  compress {
                """ + compress.indent(4) + "  }\n}\n";
    }

    /** A linear classifier on MNIST-shaped IDX files that are not there. */
    static String digitsWithMissingIdx(String images, String labels) {
        return """
                network Digits {
                  input image: f32[1, 28, 28]
                  label target: f32[10]
                  let logits = dense(flatten(image), 784 -> 10)
                  output logits
                  loss cross_entropy(logits, target)
                }
                train Digits {
                  data idx(images="%s", labels="%s") -> image, target
                  optimizer sgd(lr=0.1)
                  epochs 1
                  batch 8
                }
                """.formatted(images, labels);
    }
}
