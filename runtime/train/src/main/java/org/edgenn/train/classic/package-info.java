/**
 * Classical sparse-recovery algorithms and the constants of model-aware networks, in plain double-precision Java
 * (no ND4J): ISTA, FISTA and ADMM for the lasso, soft / hard thresholds, support selection, and the analytic
 * ALISTA weight. They are the oracles the unrolled networks are tested against (with classical constants an
 * unrolled network must reproduce these iterates) and the tool's own solvers for constants it computes from a
 * known operator. Matrices are row-major {@code double[rows][cols]}; vectors are one sample.
 */
package org.edgenn.train.classic;
