/**
 * EdgeNN training runtime: small static ND4J SameDiff building blocks that generated trainer classes call.
 *
 * <ul>
 *   <li>{@link org.edgenn.train.sd} layers, parameters, soft-threshold, losses</li>
 *   <li>{@link org.edgenn.train.quant} straight-through fake quantization, activation observers, PTQ calibration</li>
 *   <li>{@link org.edgenn.train.prune} magnitude pruning masks and gradual schedules</li>
 *   <li>{@link org.edgenn.train.loop} the training loop with progress callbacks</li>
 *   <li>{@link org.edgenn.train.data} synthetic sparse coding, IDX files, image folders</li>
 *   <li>{@link org.edgenn.train.export} export to an immutable in-memory {@code Int8Model}</li>
 *   <li>{@link org.edgenn.train.metrics} NMSE (dB), accuracy, PSNR, metrics JSON, training-curve PNG</li>
 * </ul>
 * See {@code docs/training.md}.
 */
package org.edgenn.train;
