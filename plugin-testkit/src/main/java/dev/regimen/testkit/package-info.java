/**
 * The test kit for plugin authors, used in test scope: {@link dev.regimen.testkit.LayerContract} (and
 * {@link dev.regimen.testkit.StochasticLayerContract}) that every layer test extends, seeded {@link
 * dev.regimen.testkit.Inputs}, a hand-driven {@link dev.regimen.testkit.FakeControl} for schedulers,
 * a {@link dev.regimen.testkit.FakeAugmenterContext} for augmenters, and {@link
 * dev.regimen.testkit.PluginContract}, which loads a plugin as the host does and checks the
 * components it declares.
 */
package dev.regimen.testkit;
