/**
 * Components made by name: the factory extension point that plugins contribute, the typed, validated
 * options every factory declares, and the options a component lets change while training runs
 * ({@link dev.regimen.api.component.Adjustable}).
 */
package dev.regimen.api.component;
