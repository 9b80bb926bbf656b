package dev.regimen.core.script;

import dev.regimen.api.train.Scheduler;
import dev.regimen.core.plugin.PluginInfo;
import dev.regimen.core.registry.ComponentRegistry;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link ScriptRunner#run} runs one script; made with {@link #builder()}.
 *
 * @param params values from {@code --set key=value}; a script reads them with
 *     {@code rg.param('epochs', 5)}, the default's type deciding the conversion (number, boolean,
 *     string); keys the script never asks for are reported as warnings at the end
 * @param seed the seed of trainers and data splits that do not name one, or {@code null} for 42
 * @param registry the components scripts make by name (built-ins and plugins), or {@code null} for
 *     the built-ins only
 * @param plugins the loaded plugins, for {@code rg.plugins()}
 * @param runDir the run folder ({@code runs/<name>-<time>/}), readable and writable by the script, or
 *     {@code null} (tests)
 * @param checkpointsDir where {@code checkpoint: true} trainers save, or {@code null} for
 *     {@code <runDir>/checkpoints}
 * @param dataDirs further folders the script may read (data sets)
 * @param allowHostAccess {@code --allow-host-access}: the script may use Java classes, every file,
 *     processes and threads; off by default
 * @param smoke smoke mode: {@code rg.param('smoke')} is true, trainers run at most 1 epoch on at most
 *     {@value #SMOKE_SAMPLES} training samples so that every example finishes in seconds
 * @param extraSchedulers schedulers added to every trainer the script creates (the CLI's run recorder)
 * @param out where the script's standard output goes, or {@code null} to capture it in
 *     {@link ScriptResult#output()}
 * @param err where the script's standard error goes, or {@code null} to send it where {@code out} goes
 * @param progress whether trainers show a console progress bar (only ever on a terminal)
 * @param resume {@code regimen resume}: a trainer whose checkpoint folder already holds a
 *     {@code last/} checkpoint continues from it (a stopped or finished one trains no further), and
 *     one without trains again from the start, so that the run ends as an uninterrupted one
 */
public record RunOptions(
    Map<String, String> params,
    Long seed,
    ComponentRegistry registry,
    List<PluginInfo> plugins,
    Path runDir,
    Path checkpointsDir,
    List<Path> dataDirs,
    boolean allowHostAccess,
    boolean smoke,
    List<Scheduler> extraSchedulers,
    OutputStream out,
    OutputStream err,
    boolean progress,
    boolean resume) {

  /** The most training (and validation) samples a trainer uses in smoke mode. */
  public static final int SMOKE_SAMPLES = 256;

  public RunOptions {
    params = Map.copyOf(new LinkedHashMap<>(params));
    plugins = List.copyOf(plugins);
    dataDirs = List.copyOf(dataDirs);
    extraSchedulers = List.copyOf(extraSchedulers);
  }

  /** Where {@code checkpoint: true} trainers save: {@link #checkpointsDir()}, else {@code <runDir>/checkpoints}, else null. */
  public Path effectiveCheckpointsDir() {
    if (checkpointsDir != null) {
      return checkpointsDir;
    }
    return runDir == null ? null : runDir.resolve("checkpoints");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: no params, seed 42, built-in components, no run folder, sandboxed, output captured. */
  public static final class Builder {
    private final Map<String, String> params = new LinkedHashMap<>();
    private Long seed;
    private ComponentRegistry registry;
    private final List<PluginInfo> plugins = new ArrayList<>();
    private Path runDir;
    private Path checkpointsDir;
    private final List<Path> dataDirs = new ArrayList<>();
    private boolean allowHostAccess;
    private boolean smoke;
    private final List<Scheduler> extraSchedulers = new ArrayList<>();
    private OutputStream out;
    private OutputStream err;
    private boolean progress = true;
    private boolean resume;

    private Builder() {}

    public Builder param(String key, String value) {
      params.put(key, value);
      return this;
    }

    public Builder params(Map<String, String> values) {
      params.putAll(values);
      return this;
    }

    /** One {@code --set key=value} as the user typed it; a missing {@code =} is an error that echoes it. */
    public Builder set(String keyValue) {
      int eq = keyValue.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set takes key=value, e.g. --set epochs=5. Received: " + keyValue);
      }
      return param(keyValue.substring(0, eq).strip(), keyValue.substring(eq + 1).strip());
    }

    public Builder seed(Long value) {
      this.seed = value;
      return this;
    }

    public Builder registry(ComponentRegistry value) {
      this.registry = value;
      return this;
    }

    public Builder plugins(List<PluginInfo> value) {
      plugins.clear();
      plugins.addAll(value);
      return this;
    }

    public Builder runDir(Path value) {
      this.runDir = value;
      return this;
    }

    public Builder checkpointsDir(Path value) {
      this.checkpointsDir = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDirs.add(value);
      return this;
    }

    public Builder allowHostAccess(boolean value) {
      this.allowHostAccess = value;
      return this;
    }

    public Builder smoke(boolean value) {
      this.smoke = value;
      return this;
    }

    public Builder extraScheduler(Scheduler value) {
      extraSchedulers.add(value);
      return this;
    }

    public Builder out(OutputStream value) {
      this.out = value;
      return this;
    }

    public Builder err(OutputStream value) {
      this.err = value;
      return this;
    }

    public Builder progress(boolean value) {
      this.progress = value;
      return this;
    }

    public Builder resume(boolean value) {
      this.resume = value;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(params, seed, registry, plugins, runDir, checkpointsDir, dataDirs, allowHostAccess, smoke,
          extraSchedulers, out, err, progress, resume);
    }
  }
}
