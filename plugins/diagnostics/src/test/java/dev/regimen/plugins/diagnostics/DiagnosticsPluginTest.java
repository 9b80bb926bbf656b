package dev.regimen.plugins.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.train.Scheduler;
import dev.regimen.testkit.PluginContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the plugin host relies on, and the options every diagnostic shares. */
class DiagnosticsPluginTest extends PluginContract {

  DiagnosticsPluginTest() {
    super(DiagnosticsPlugin.class, Map.of("variance_shift", ComponentKind.SCHEDULER, "activation_stats", ComponentKind.SCHEDULER,
        "weight_stats", ComponentKind.SCHEDULER));
  }

  @Test
  void everyComponentIsADiagnosticThatStartsWithEveryAndEpochs() {
    for (ComponentFactory<Scheduler> factory :
        List.of(new VarianceShift.Factory(), new ActivationStats.Factory(), new WeightStats.Factory())) {
      assertInstanceOf(Diagnostic.class, factory.create(Map.of()), factory.name());
      List<String> options = factory.options().stream().map(OptionSpec::name).toList();
      assertEquals(List.of("every", "epochs"), options.subList(0, 2), factory.name());
    }
  }
}
