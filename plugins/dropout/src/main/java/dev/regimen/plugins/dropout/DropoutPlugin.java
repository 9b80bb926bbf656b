package dev.regimen.plugins.dropout;

import org.pf4j.Plugin;

/**
 * The dropout plugin. It has no state: its components are the {@code @Extension} factories of this
 * package, which PF4J finds through the index its annotation processor writes.
 */
public final class DropoutPlugin extends Plugin {
  public DropoutPlugin() {
    super();
  }
}
