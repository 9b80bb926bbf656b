package dev.regimen.api.tensor;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every module's tests run on the libnd4j build that the launcher would choose for this CPU:
 * JUnit opens the launcher session before it loads any test class, so {@link NativeBuild#select()}
 * runs before anything touches ND4J. Registered in {@code META-INF/services} of framework-api's
 * test-jar, which every module's tests depend on.
 */
public final class NativeBuildListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    NativeBuild.select();
  }
}
