package org.edgenn.generator.ops;

import org.edgenn.runtime.cost.Workload;

/** Operand widths of a network's workloads on an accelerator: MAC operands, activations and the accumulator. */
public record WorkloadBits(Workload.Precision macs, int activationBits, int accumulatorBits) {
}
