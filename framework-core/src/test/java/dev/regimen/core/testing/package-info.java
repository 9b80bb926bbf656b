/**
 * Test support shared with the plugin families through framework-core's test-jar: the {@link
 * dev.regimen.core.testing.LayerContract} every layer test extends, and seeded {@link
 * dev.regimen.core.testing.Inputs} for it.
 */
package dev.regimen.core.testing;
