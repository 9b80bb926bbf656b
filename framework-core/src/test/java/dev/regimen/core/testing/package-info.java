/**
 * Test support of framework-core's own plugin-host tests: {@link
 * dev.regimen.core.testing.PluginJarBuilder} makes good and broken plugin files. What plugin authors
 * test with (the layer contract, a fake training control, the plugin check) is the {@code
 * regimen-testkit} module, {@code dev.regimen.testkit}.
 */
package dev.regimen.core.testing;
