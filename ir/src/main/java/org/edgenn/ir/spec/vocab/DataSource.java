package org.edgenn.ir.spec.vocab;

/** Where a train block's batches come from ({@code data ... -> bindings}); the terms are listed in {@link Vocabulary}. */
public sealed interface DataSource {

    /**
     * {@code synthetic_sparse}: y = A x with a random dictionary A (m×n, unit-norm columns) and k-sparse codes x.
     *
     * @param m   measurements, null: the first input's size
     * @param n   code length, null: the first label's size
     * @param snr measurement noise in dB; infinite: none
     */
    record SyntheticSparse(Integer m, Integer n, double sparsity, double snr, int samples, int test,
                           String matrix, String matrixVar, String xTest, String yTest) implements DataSource {
        /** The papers' setting: A drawn from the train block's seed, held-out codes drawn too. */
        public SyntheticSparse(Integer m, Integer n, double sparsity, double snr, int samples, int test) {
            this(m, n, sparsity, snr, samples, test, null, null, null, null);
        }
    }

    /** {@code fashion_mnist}: the Fashion-MNIST IDX files; {@code dir} null: the usual locations (FashionMnist.locate). */
    record FashionMnist(String dir, int test) implements DataSource {
    }

    /** {@code idx}: any IDX image/label pair; without test files the held-out set is the training files. */
    record Idx(String images, String labels, String testImages, String testLabels, int classes, int test) implements DataSource {
    }

    /** {@code image_patches}: denoising pairs cut from a folder of images; {@code sigma} above 1 is on the 0..255 scale. */
    record ImagePatches(String dir, int patch, double sigma, int samples, int test) implements DataSource {
    }

    /** {@code image_pairs}: super-resolution pairs (down-sampled by {@code factor}, original) from a folder of images. */
    record ImagePairs(String dir, int patch, int factor, int samples, int test) implements DataSource {
    }
}
