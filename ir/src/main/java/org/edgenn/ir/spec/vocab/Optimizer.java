package org.edgenn.ir.spec.vocab;

/** A train block's {@code optimizer}; every one has a (base) learning rate that the schedule scales. */
public sealed interface Optimizer {

    double lr();

    /** The optimizer of a train block that names none. */
    Optimizer DEFAULT = new Adam(1e-3);

    record Adam(double lr) implements Optimizer {
    }

    /**
     * Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019): each
     * step subtracts {@code lr_t · weightDecay · w} from the weights besides Adam's update, instead of adding an L2
     * term to the gradient that Adam would rescale.
     */
    record AdamW(double lr, double weightDecay) implements Optimizer {
    }

    /** Plain SGD, or Nesterov momentum when {@code momentum > 0}. */
    record Sgd(double lr, double momentum) implements Optimizer {
    }

    record RmsProp(double lr) implements Optimizer {
    }
}
