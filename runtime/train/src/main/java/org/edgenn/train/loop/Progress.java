package org.edgenn.train.loop;

/**
 * One progress report. {@code epoch} and {@code batch} are 1-based; {@code loss} is the running mean loss of
 * the current epoch; {@code metric} is the latest held-out metric (NaN until the first epoch has been
 * evaluated); {@code etaSeconds} estimates the remaining time of the whole run.
 */
public record Progress(int epoch, int epochs, int batch, int batches, double loss, String metricName, double metric,
                       double elapsedSeconds, double etaSeconds) {

    /** Receives progress; {@link #onEpochEnd} once per epoch after the metric has been computed. */
    public interface Listener {
        void onBatch(Progress p);

        default void onEpochEnd(EpochRecord r) {}

        /** Before each phase of a {@link StagewiseRecipe} stage. */
        default void onPhaseStart(PhaseInfo p) {}

        /** Once per stage of a {@link StagewiseRecipe} (or {@link LayerwiseCurriculum}), after its held-out metric. */
        default void onStageEnd(StageRecord r) {}
    }

    /** Summary of one finished epoch. */
    public record EpochRecord(int epoch, double meanLoss, String metricName, double metric, double seconds) {}

    /**
     * Summary of one curriculum stage: {@code stage} is 1-based of {@code stages}; {@code output} is the graph output
     * the stage trained (its unroll step's state, e.g. {@code x_3}), {@code meanLoss} its last epoch's mean loss,
     * {@code metric} the held-out metric of that output, {@code steps} its optimizer steps.
     */
    public record StageRecord(int stage, int stages, String output, double meanLoss, String metricName, double metric,
                              double seconds, long steps) {}

    /**
     * A phase about to run: stage {@code stage} of {@code stages} (1-based) training for output {@code output},
     * phase {@code phase} of {@code phases}, at learning rate {@code lr}, on {@code variables} trainable variables, for
     * at most {@code maxSteps} steps with a patience of {@code betterWait} steps (0 = none).
     */
    public record PhaseInfo(int stage, int stages, String output, int phase, int phases, double lr, int variables,
                            int maxSteps, int betterWait) {}
}
