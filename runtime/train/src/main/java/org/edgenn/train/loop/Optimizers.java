package org.edgenn.train.loop;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** Optimizers and learning-rate schedules of the train spec, as ND4J updaters (schedules count iterations). */
public final class Optimizers {
    private Optimizers() {}

    public static IUpdater adam(double lr) { return new Adam(lr); }

    public static IUpdater adam(ISchedule lr) { return new Adam(lr); }

    public static IUpdater sgd(double lr) { return new Sgd(lr); }

    public static IUpdater momentum(double lr, double momentum) { return new Nesterovs(lr, momentum); }

    /** {@code lr · gamma^(step / stepSize)} (floor), counted in iterations. */
    public static ISchedule stepDecay(double lr, double gamma, long stepSize) {
        return new StepSchedule(ScheduleType.ITERATION, lr, gamma, stepSize);
    }

    /** {@code lr · gamma^iteration}. */
    public static ISchedule exponential(double lr, double gamma) {
        return new ExponentialSchedule(ScheduleType.ITERATION, lr, gamma);
    }

    /** Cosine decay from {@code lr} to {@code lrMin} over {@code totalSteps} iterations (piecewise constant, 100 pieces). */
    public static ISchedule cosine(double lr, double lrMin, long totalSteps) {
        MapSchedule.Builder b = new MapSchedule.Builder(ScheduleType.ITERATION);
        int pieces = 100;
        for (int i = 0; i < pieces; i++) {
            long at = totalSteps * i / pieces;
            double v = lrMin + 0.5 * (lr - lrMin) * (1 + Math.cos(Math.PI * i / pieces));
            b.add((int) at, v);
        }
        return b.build();
    }

    /** Piecewise-constant: {@code values[i]} from iteration {@code starts[i]} on ({@code starts[0]} must be 0). */
    public static ISchedule piecewise(int[] starts, double[] values) {
        MapSchedule.Builder b = new MapSchedule.Builder(ScheduleType.ITERATION);
        for (int i = 0; i < starts.length; i++) b.add(starts[i], values[i]);
        return b.build();
    }
}
