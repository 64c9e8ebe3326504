package org.edgenn.ir.spec.vocab;

/**
 * The initial value of a weight or parameter: {@code init=...} of a layer, {@code = ...} of a param. Shapes are the
 * IR's ({@code [out, in]}, {@code [out, in/groups, kH, kW]}); fan-in and fan-out are read from them.
 */
public sealed interface Initializer {

    /** {@code param theta: f32[1] = 0.1}: every element the same number. */
    record Constant(double value) implements Initializer {
    }

    record Zeros() implements Initializer {
    }

    record Ones() implements Initializer {
    }

    /** The identity matrix (dense), or the identity (centre-tap) kernel per channel (conv). */
    record Identity() implements Initializer {
    }

    /** N(0, std²). */
    record Normal(double std) implements Initializer {
    }

    /** U(-a, a). */
    record Uniform(double a) implements Initializer {
    }

    /** Glorot (Xavier) uniform: U(-√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut))); the default of weights. */
    record Glorot() implements Initializer {
    }

    /** He normal: N(0, 2/fanIn). */
    record He() implements Initializer {
    }

    /** A normalized Gaussian blur kernel of standard deviation {@code sigma} (pixels). */
    record Gaussian(double sigma) implements Initializer {
    }

    /** The 3×3 Laplacian kernel. */
    record Laplacian() implements Initializer {
    }

    record SobelX() implements Initializer {
    }

    record SobelY() implements Initializer {
    }

    /** A normalized box (mean) filter. */
    record Box() implements Initializer {
    }

    /** LISTA's We = Aᵀ / L for the dictionary A of the synthetic_sparse data (L = ‖A‖₂²). */
    record DictionaryT() implements Initializer {
    }

    /** LISTA's S = I − AᵀA / L. */
    record IstaS() implements Initializer {
    }

    /** The synthetic problem's dictionary A itself (a known operator, e.g. the A of LISTA-CP or ALISTA). */
    record Dictionary() implements Initializer {
    }

    /** ALISTA's analytic weight, solved data-free from A (Liu et al. 2019), transposed for x + γ Wᵀ(y − Ax). */
    record AlistaW(Double gamma) implements Initializer {
        /** Without a step size: {@code Wᵀ} itself (γ = 1). */
        public AlistaW() {
            this(null);
        }

        /** The step size γ that scales {@code Wᵀ} (1 unless given). */
        public double step() {
            return gamma == null ? 1.0 : gamma;
        }
    }

    /**
     * Plain LISTA's {@code S_k} started where ALISTA without support selection starts: {@code I − γ WᵀA} with ALISTA's
     * analytic W (with {@code We_k = γ Wᵀ}, init {@code alista_w}, the step {@code η(S_k x + We_k y)} equals ALISTA's
     * {@code η(x + γ Wᵀ(y − A x))}).
     */
    record AlistaS(Double gamma) implements Initializer {
        public AlistaS() {
            this(null);
        }

        /** The step size γ (1 unless given). */
        public double step() {
            return gamma == null ? 1.0 : gamma;
        }
    }

    /** ISTA's and FISTA's step {@code 1/L}, {@code L = ||A||₂²} of the synthetic problem's A. */
    record IstaStep() implements Initializer {
    }

    /** ISTA's threshold {@code λ/L} for the lasso {@code ½||y − Ax||² + λ||x||₁}. */
    record IstaThreshold(double lambda) implements Initializer {
    }

    /** FISTA's step-dependent constant {@code (t_k − 1)/t_{k+1}} (t_0 = 1) of step k, for a param with one value per step. */
    record FistaMomentum() implements Initializer {
    }

    /** ADMM's {@code (AᵀA + ρI)⁻¹} for the lasso split x = z (Boyd et al. 2011, §6.4). */
    record AdmmInverse(double rho) implements Initializer {
    }

    /**
     * Values read from a file, resolved against the .edgenn file's directory: numpy {@code .npy}, MATLAB v5 {@code .mat}
     * (the variable {@code var}, or the file's only one) or, any other name, a text file of numbers.
     */
    record File(String path, String var) implements Initializer {
        public File(String path) {
            this(path, null);
        }
    }
}
