package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  static final String SCRIPT = """
      // A script with characters that HTML must not interpret.
      const model = rg.sequential([rg.layer('dense', { units: 16 }), rg.layer('relu')]);
      if (a < b && c > d) console.log("<script>alert('x')</script>");
      """;

  @TempDir Path parent;

  @Test
  void aTrainingThatKeptAnEarlierEpochShowsItsMetricsFirstAndTheTestSetsBesideThem() throws Exception {
    RunFolder folder = RunFolder.create(parent, "kept.js", LocalDateTime.of(2026, 11, 24, 13, 57, 50), false);
    String html = Report.builder(folder)
        .training("train-1", HistoryFilesTest.handMade(), List.of(), 0)
        .evaluation("train-1", "test", 120, Map.of("accuracy", 0.8125))
        .evaluation("other", "validation", 30, Map.of("loss", 0.5))
        .html();
    assertTrue(html.contains("The model holds the weights of epoch 1, which early stopping put back"), html);
    assertTrue(html.contains("<th class=\"num\">kept (epoch 1)</th><th class=\"num\">last (epoch 2)</th>"), html);
    assertTrue(html.contains("<tr><td>accuracy</td><td class=\"num\">0.5</td><td class=\"num\">0.875</td>"), html);
    assertTrue(html.contains("<tr><td>test</td><td class=\"num\">120</td><td class=\"num\">0.8125</td></tr>"), html);
    assertTrue(html.contains("<section id=\"evaluations\">"), "an evaluation of no shown training has its own section");
    assertTrue(html.contains("<tr><td>other</td><td>validation</td><td class=\"num\">30</td><td class=\"num\">0.5</td>"),
        html);
  }

  @Test
  void aSelfContainedPageWithTheEscapedScriptTheMetricsAndEmbeddedCurves() throws Exception {
    RunFolder folder = RunFolder.create(parent, "quickstart.js", LocalDateTime.of(2026, 11, 24, 13, 57, 50), false);
    List<Path> curves = new Plots().writeCurves(HistoryFilesTest.handMade(), folder.plots(), "");
    Files.writeString(folder.resolve("metrics.csv"), HistoryFiles.csv(HistoryFilesTest.handMade()));
    Files.writeString(folder.resolve("odd name & co.txt"), "x");
    Layer model = Layers.build(RunRecorderTest.mlp(), new long[] {2}, new Rng(1));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("dropout", 0.5);
    Path file = Report.builder(folder)
        .script(SCRIPT)
        .setting("seed", 42)
        .parameters(params)
        .trainer("training-1", RunRecorderTest.config(30).build())
        .model("training-1", model, new long[] {2})
        .plugin("dropout", "0.1.0", "dropout.uout")
        .training("training-1", HistoryFilesTest.handMade(), curves)
        .finished(folder.started().plusSeconds(75))
        .status("finished")
        .write();

    assertEquals(folder.report(), file);
    String html = Files.readString(file);
    assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html.substring(0, 40));
    assertTrue(html.trim().endsWith("</html>"));
    assertTrue(html.contains("<title>quickstart.js \u2014 2026-11-24 13:57:50</title>"), "title with name and date");
    assertTrue(html.contains("<dd>1 min 15 s</dd>"), "duration");

    assertTrue(html.contains("if (a &lt; b &amp;&amp; c &gt; d) console.log(&quot;&lt;script&gt;alert(&#39;x&#39;)"
        + "&lt;/script&gt;&quot;);"), "the script, escaped");
    assertFalse(html.contains("<script"), "nothing of the script is live, and the page has no scripts");

    // The final metrics: last value, best value and its epoch.
    assertTrue(html.contains("<tr><td>accuracy</td><td class=\"num\">0.875</td><td class=\"num\">0.875</td>"
        + "<td class=\"num\">2</td></tr>"), html);
    assertTrue(html.contains("<tr><td>val_loss</td><td class=\"num\">NaN</td><td class=\"num\">0.7</td>"
        + "<td class=\"num\">1</td></tr>"), "a final NaN is shown as such, and is never best");
    assertTrue(html.contains("<tr><td>lr</td><td class=\"num\">2.500e-04</td><td class=\"num muted\">"),
        "no best for a metric without direction");

    // Configuration, model summary, plugins, files.
    assertTrue(html.contains("<tr><th>seed</th><td>42</td></tr>"));
    assertTrue(html.contains("<tr><th>dropout</th><td>0.5</td></tr>"));
    assertTrue(html.contains("<tr><th>optimizer</th><td>adam(lr=0.02, beta1=0.9, beta2=0.999, eps=1.0E-8)</td></tr>"),
        html);
    assertTrue(html.contains("<tr><th>epochs</th><td>30</td></tr>"));
    assertTrue(html.contains(">dense_1</td><td>dense</td><td class=\"mono\">[N, 16]</td>"), "output shapes");
    assertTrue(html.contains("<td class=\"num\">82</td></tr>"), "2*16+16 + 16*2+2 = 82 parameters");
    assertTrue(html.contains("<tr><td>dropout</td><td class=\"mono\">0.1.0</td><td>dropout.uout</td></tr>"));
    assertTrue(html.contains("<a href=\"metrics.csv\">metrics.csv</a>"));
    assertTrue(html.contains("<a href=\"plots/loss.png\">plots/loss.png</a>"));
    assertTrue(html.contains("<a href=\"odd%20name%20%26%20co.txt\">odd name &amp; co.txt</a>"));

    // Self-contained: every image inline and a valid PNG; no external resource.
    Matcher images = Pattern.compile("<img alt=\"[^\"]*\" src=\"([^\"]*)\">").matcher(html);
    int count = 0;
    while (images.find()) {
      String src = images.group(1);
      assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(40, src.length())));
      byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
      assertEquals(800, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
      count++;
    }
    assertEquals(4, count, "the four curves");
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "no external resource");
    assertFalse(html.contains("<link"), "no style sheet links");
  }

  @Test
  void reportOfARealRunWithARecorderAndADiagnosticsFigure() throws Exception {
    Dataset.Split split = Synthetic.twoMoons(240, 0.15, new Rng(5)).split(0.25, new Rng(6));
    Path keep = System.getProperty("regimen.run.keep") == null ? null : Path.of(System.getProperty("regimen.run.keep"));
    RunFolder folder = RunFolder.create(keep != null ? keep : parent, "moons.js");
    try (folder) {
      RunRecorder recorder = new RunRecorder(folder);
      TrainerConfig config = RunRecorderTest.config(6).scheduler(recorder).checkpointDir(folder.checkpoints()).build();
      Layer model = RunRecorderTest.mlp();
      Report.Builder report = Report.builder(folder).script(SCRIPT).setting("seed", 1).trainer("training-1", config);
      new Trainer(config).fit(model, split.train(), split.validation());
      Map<String, double[]> shift = new LinkedHashMap<>();
      shift.put("training mode", new double[] {1.0, 0.98, 1.02});
      shift.put("evaluation mode", new double[] {1.0, 1.31, 1.47});
      Path figure = Plots.save(new Plots().barChart("Variance shift per layer", "layer", "variance", shift,
          List.of("dense_1", "batchnorm_1", "dropout_1")), folder.plots().resolve("variance_shift.png"));
      report.model("training-1", model, split.train().sampleShape())
          .recorder(recorder)
          .figure("Activation variance in training and evaluation mode", figure)
          .status("finished")
          .finished(Instant.now())
          .write();
    }
    String html = Files.readString(folder.report());
    assertEquals(4, html.split("<img ", -1).length - 1, "loss, accuracy, lr and the figure");
    assertTrue(html.contains("6 of 6 epochs"));
    assertTrue(html.contains("<tr><th>schedulers</th><td>none</td></tr>"),
        "the recorder is not part of the experiment");
    assertTrue(html.contains("Activation variance in training and evaluation mode</figcaption>"));
    assertTrue(html.contains("<a href=\"run.log\">run.log</a>"));
    assertTrue(html.contains("<a href=\"checkpoints/best/state.json\">"), "checkpoints are listed");
    assertTrue(Files.readString(folder.log()).contains("epoch 6/6"), "the trainer's lines are in run.log");
  }
}
