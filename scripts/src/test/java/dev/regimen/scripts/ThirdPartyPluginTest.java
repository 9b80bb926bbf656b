package dev.regimen.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.cli.Main;
import dev.regimen.core.testing.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin written by someone else: compiled here, packed as a PF4J jar, dropped into a plugins
 * folder, and used from a script by the next run, with no change to Regimen.
 */
class ThirdPartyPluginTest {

  private static final String LAYER = """
      package org.example.scale;

      import dev.regimen.api.component.AbstractComponentFactory;
      import dev.regimen.api.component.ComponentKind;
      import dev.regimen.api.component.OptionSpec;
      import dev.regimen.api.component.OptionType;
      import dev.regimen.api.component.Options;
      import dev.regimen.api.nn.AbstractLayer;
      import dev.regimen.api.nn.ForwardContext;
      import dev.regimen.api.nn.Layer;
      import dev.regimen.api.tensor.Tensor;
      import java.util.List;
      import org.pf4j.Extension;

      /** y = factor * x. */
      public final class Scale extends AbstractLayer {
        private final double factor;

        public Scale(Options options) {
          super("example.scale", options);
          this.factor = options.getDouble("factor");
        }

        @Override
        public long[] outputShape(long[] inputShape) {
          return inputShape;
        }

        @Override
        protected Tensor call(Tensor input, ForwardContext ctx) {
          return input.mul(factor);
        }

        @Extension
        public static final class Factory extends AbstractComponentFactory<Layer> {
          public Factory() {
            super(ComponentKind.LAYER, "example.scale", "Multiplies its input by a constant",
                List.of(OptionSpec.of("factor", OptionType.DOUBLE, 1.0, "the constant")));
          }

          @Override
          public Layer create(Options options) {
            return new Scale(options);
          }
        }
      }
      """;

  @Test
  void aPluginJarDroppedIntoThePluginsFolderIsUsedByTheNextRun(@TempDir Path dir) throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJarBuilder.Compiled compiled = PluginJarBuilder.compile(dir.resolve("build"),
        Map.of("org.example.scale.Scale", LAYER));
    PluginJarBuilder.plugin("example-scale").version("1.0.0").description("A third-party layer")
        .packageFrom(compiled, "org.example.scale").writeJar(plugins);

    Path script = dir.resolve("uses_plugin.js");
    Files.writeString(script, String.join("\n",
        "const data = rg.data.digits({ normalize: 'zscore', validation: 0.2 });",
        "const model = rg.sequential([rg.layer('example.scale', { factor: 0.5 }), rg.layer('dense', { units: 10 })]);",
        "const h = rg.trainer({ loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 0.01 }), epochs: 3,",
        "  metrics: ['accuracy'] })",
        "  .fit(model, data.train, data.validation);",
        "if (!(h.val_accuracy[2] > 0.5)) throw new Error('the model did not learn: ' + h.val_accuracy[2]);"));
    Path out = dir.resolve("runs");

    int exit = Main.execute("run", script.toString(), "--plugins", plugins.toString(), "--out", out.toString(),
        "--no-progress");
    assertEquals(0, exit);
    try (Stream<Path> runs = Files.list(out)) {
      Path run = runs.findFirst().orElseThrow();
      assertTrue(Files.readString(run.resolve("report.html")).contains("example-scale"),
          "the report lists the plugin used");
    }

    // Without the jar the same script fails, naming the unknown component.
    Path empty = Files.createDirectories(dir.resolve("no-plugins"));
    assertEquals(1, Main.execute("run", script.toString(), "--plugins", empty.toString(), "--out", out.toString(),
        "--no-progress"));
  }
}
