package dev.regimen.core.train;

import dev.regimen.api.nn.Parameter;
import dev.regimen.api.train.ParameterOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Learning rates and weight decays per parameter, as PyTorch's parameter groups and timm's layer-wise
 * learning-rate decay give them: resolved by the trainer into {@link ParameterOptions} for the
 * optimizer ({@link dev.regimen.api.train.Optimizer#setParameterOptions}).
 *
 * <p>For each trainable parameter:
 * <ul>
 *   <li>its group is the first whose pattern matches its model-wide name ({@code dense_1.*}, {@code
 *       *.bias}; {@code *} is any run of characters, {@code ?} one); every group must match some
 *       parameter;
 *   <li>{@code lr_scale} = the group's {@code lr_scale} (1 without a group) times layer_decay^d, where d
 *       counts the layers with parameters after the parameter's own, in model order (layer-wise
 *       decay, Clark et al. 2020, "ELECTRA", and Bao et al. 2022, "BEiT": the last layer trains at the
 *       full rate, each one below at layer_decay times the one above; an objective's own parameters
 *       count as the last);
 *   <li>it decays if its group gives a {@code weight_decay} above 0 (at that rate), else if it is a
 *       weight or {@code decay_biases} is set (at the optimizer's rate); so by default biases and
 *       normalization parameters do not decay.
 * </ul>
 *
 * @param groups in order of precedence
 * @param layerDecay the layer-wise decay of the learning rate, in (0, 1]; 1 for none
 * @param decayBiases whether biases and normalization parameters decay like weights
 */
public record ParameterGroups(List<Group> groups, double layerDecay, boolean decayBiases) {

  /** No groups, no layer-wise decay, decay on weights only: what the optimizers do by themselves. */
  public static final ParameterGroups NONE = new ParameterGroups(List.of(), 1, false);

  /**
   * One group.
   *
   * @param pattern a glob over model-wide parameter names
   * @param lrScale the multiplier of the learning rate, at least 0
   * @param weightDecay the group's decay rate, or NaN for the default rule and the optimizer's rate
   */
  public record Group(String pattern, double lrScale, double weightDecay) {
    public Group {
      Objects.requireNonNull(pattern, "pattern");
      if (pattern.isBlank()) {
        throw new IllegalArgumentException("A parameter group needs a pattern of parameter names, e.g. 'dense_1.*'");
      }
      if (!(lrScale >= 0) || Double.isInfinite(lrScale)) {
        throw new IllegalArgumentException("lr_scale of parameter group '" + pattern + "' must be a finite number >= 0."
            + " Received: lr_scale=" + lrScale);
      }
      if (!Double.isNaN(weightDecay) && (!(weightDecay >= 0) || Double.isInfinite(weightDecay))) {
        throw new IllegalArgumentException("weight_decay of parameter group '" + pattern + "' must be a finite number"
            + " >= 0. Received: weight_decay=" + weightDecay);
      }
    }

    boolean matches(String name) {
      StringBuilder regex = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      return name.matches(regex.toString());
    }
  }

  public ParameterGroups {
    groups = List.copyOf(groups);
    if (!(layerDecay > 0 && layerDecay <= 1)) {
      throw new IllegalArgumentException("layer_decay must be in (0, 1]. Received: layer_decay=" + layerDecay);
    }
  }

  /** Whether these are {@link #NONE}'s settings, which need nothing of the optimizer. */
  public boolean isNone() {
    return groups.isEmpty() && layerDecay == 1 && !decayBiases;
  }

  /**
   * The options of every parameter, by name, in the order given.
   *
   * @throws IllegalArgumentException for a group that matches no parameter, listing the parameters
   */
  public Map<String, ParameterOptions> resolve(List<Parameter> parameters) {
    Set<String> layers = new LinkedHashSet<>();
    for (Parameter p : parameters) {
      layers.add(layerOf(p));
    }
    List<String> order = new ArrayList<>(layers);
    Map<String, ParameterOptions> out = new LinkedHashMap<>();
    boolean[] used = new boolean[groups.size()];
    for (Parameter p : parameters) {
      Group group = null;
      for (int g = 0; g < groups.size() && group == null; g++) {
        if (groups.get(g).matches(p.name())) {
          group = groups.get(g);
          used[g] = true;
        }
      }
      int above = order.size() - 1 - order.indexOf(layerOf(p));
      double scale = (group == null ? 1 : group.lrScale()) * Math.pow(layerDecay, above);
      boolean own = group != null && !Double.isNaN(group.weightDecay());
      boolean decays = own ? group.weightDecay() > 0 : p.weight() || decayBiases;
      out.put(p.name(), new ParameterOptions(scale, decays, own ? group.weightDecay() : Double.NaN));
    }
    for (int g = 0; g < groups.size(); g++) {
      if (!used[g]) {
        throw new IllegalArgumentException("Parameter group '" + groups.get(g).pattern() + "' matches no trainable"
            + " parameter. Parameters: " + String.join(", ", parameters.stream().map(Parameter::name).toList()));
      }
    }
    return out;
  }

  /** The layer of a parameter: its name without the last dot and what follows ({@code objective} for the objective's). */
  private static String layerOf(Parameter p) {
    int dot = p.name().lastIndexOf('.');
    return dot < 0 ? p.name() : p.name().substring(0, dot);
  }
}
