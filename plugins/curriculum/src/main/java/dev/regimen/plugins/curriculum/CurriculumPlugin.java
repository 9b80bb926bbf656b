package dev.regimen.plugins.curriculum;

import org.pf4j.Plugin;

/**
 * The curriculum plugin. It has no state: its component is the {@code @Extension} factory of this
 * package, which PF4J finds through the index its annotation processor writes.
 */
public final class CurriculumPlugin extends Plugin {
  public CurriculumPlugin() {
    super();
  }
}
