package dev.regimen.plugins.adversarial;

import org.pf4j.Plugin;

/**
 * The adversarial plugin. It has no state: its components are the {@code @Extension} factories of
 * this package, which PF4J finds through the index its annotation processor writes.
 */
public final class AdversarialPlugin extends Plugin {
  public AdversarialPlugin() {
    super();
  }
}
