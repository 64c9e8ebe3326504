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
    }

    /** Summary of one finished epoch. */
    public record EpochRecord(int epoch, double meanLoss, String metricName, double metric, double seconds) {}
}
