package dev.regimen.plugins.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;
import org.pf4j.Plugin;

class CurriculumPluginTest {

  @Test
  void pluginClassHasAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    assertInstanceOf(Plugin.class, CurriculumPlugin.class.getConstructor().newInstance());
  }

  @Test
  void pf4jIndexListsTheFactory() throws IOException {
    List<String> indexed = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith(CurriculumPlugin.class.getPackageName() + "."))
            .forEach(indexed::add);
      }
    }
    assertEquals(List.of(Curriculum.Factory.class.getName()), indexed);
  }

  @Test
  void theComponentIsASchedulerNamedCurriculum() {
    Curriculum.Factory factory = new Curriculum.Factory();
    assertEquals("curriculum", factory.name());
    assertEquals(ComponentKind.SCHEDULER, factory.kind());
    assertTrue(Curriculum.Factory.class.isAnnotationPresent(Extension.class));
    assertInstanceOf(Scheduler.class, factory.create(Map.of()));
  }
}
