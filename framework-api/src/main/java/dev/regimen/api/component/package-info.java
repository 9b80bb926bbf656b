/**
 * Components made by name: the factory extension point that plugins contribute, and the typed,
 * validated options every factory declares.
 */
package dev.regimen.api.component;
