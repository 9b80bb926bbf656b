package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What every augmenter of this plugin shares: it can be limited to a share of the epochs. With
 * option {@code off_last_epochs} = k it leaves the batches of the last k epochs of the training as
 * they are, epoch e (from 0) of E being augmented while e &lt; E - k, as timm's recipes end with
 * clean epochs ({@code mixup_off_epoch}): the model finishes on the data distribution it will be
 * evaluated on. The default 0 augments every epoch. A subclass augments in {@link #augment}; the
 * check runs once, here, before it draws anything, so the draws of the other epochs do not change.
 */
abstract class AbstractAugmenter implements Augmenter {
  /** The option every augmenter of this plugin takes, after its own. */
  static final OptionSpec OFF_LAST_EPOCHS = OptionSpec.of("off_last_epochs", OptionType.INT, 0,
      "leave the batches of the last k epochs of the training unaugmented (timm's mixup_off_epoch)").atLeast(0);

  private final int offLastEpochs;

  AbstractAugmenter(Options options) {
    this.offLastEpochs = options.getInt("off_last_epochs");
  }

  /** The options of an augmenter of this plugin: its own, then {@code off_last_epochs}. */
  static List<OptionSpec> options(OptionSpec... own) {
    List<OptionSpec> all = new ArrayList<>(Arrays.asList(own));
    all.add(OFF_LAST_EPOCHS);
    return all;
  }

  /** Whether this augmenter acts in the context's epoch. */
  final boolean active(Context ctx) {
    return ctx.epoch() < ctx.epochs() - offLastEpochs;
  }

  @Override
  public final Batch apply(Batch batch, Context ctx) {
    return active(ctx) ? augment(batch, ctx) : batch;
  }

  /** The augmented batch, in an epoch where the augmenter acts. */
  protected abstract Batch augment(Batch batch, Context ctx);

  /** {@code ", off_last_epochs=k"} when set, for a subclass's {@code toString}. */
  final String describeEpochs() {
    return offLastEpochs == 0 ? "" : ", off_last_epochs=" + offLastEpochs;
  }
}
