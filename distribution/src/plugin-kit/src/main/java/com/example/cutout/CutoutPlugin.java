package com.example.cutout;

import org.pf4j.Plugin;

/**
 * The plugin itself, named by the jar's {@code Plugin-Class}. It has no state and no lifecycle code:
 * what the plugin contributes are its {@code @Extension} factories ({@link Cutout.Factory}). A plugin
 * that needs to start or stop something (a cache, a thread) overrides {@code start()} and
 * {@code stop()} here; leaving {@code plugin.class} empty in the pom gives PF4J's plain plugin.
 */
public final class CutoutPlugin extends Plugin {
  public CutoutPlugin() {
    super();
  }
}
