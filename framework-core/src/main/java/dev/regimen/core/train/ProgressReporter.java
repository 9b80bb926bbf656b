package dev.regimen.core.train;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar per epoch (me.tongfei:progressbar) showing the running loss and the
 * throughput; silent when switched off or when standard output is not a terminal (logs, CI, tests).
 */
interface ProgressReporter extends AutoCloseable {

  /** One batch done. */
  void step(double loss, long samples);

  @Override
  void close();

  static ProgressReporter create(boolean enabled, int epoch, int epochs, int batches) {
    if (!enabled || System.console() == null) {
      return new ProgressReporter() {
        @Override
        public void step(double loss, long samples) {}

        @Override
        public void close() {}
      };
    }
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
        .setInitialMax(batches)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .continuousUpdate()
        .build();
    long start = System.nanoTime();
    return new ProgressReporter() {
      private long seen;
      private double lossSum;

      @Override
      public void step(double loss, long samples) {
        seen += samples;
        lossSum += loss * samples;
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %.0f samples/s", lossSum / seen, seen / seconds));
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
